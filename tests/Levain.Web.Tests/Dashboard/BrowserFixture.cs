using Levain.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Levain.Web.Tests.Dashboard;

/// <summary>
/// One headless Chromium (Debian's chromium + chromium-driver) shared by the browser tests of a class. Skips when the
/// browser is missing, fails under CI=true (ci/setup/packages.txt installs it). Nothing is downloaded.
/// </summary>
public sealed class BrowserFixture : IDisposable
{
    private const string Hint = "ci/setup/00-packages.sh installs chromium and chromium-driver from ci/setup/packages.txt";
    private ChromeDriver? _driver;

    public ChromeDriver Driver
    {
        get
        {
            if (_driver is not null) return _driver;
            var browser = Requirement.Executable("chromium", Hint, "/usr/bin/chromium", "/usr/bin/chromium-browser");
            var driverPath = Requirement.Executable("chromedriver", Hint, "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
            var options = new ChromeOptions { BinaryLocation = browser };
            options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--no-first-run", "--disable-extensions", "--disable-background-networking");
            options.SetLoggingPreference(LogType.Browser, LogLevel.All);
            var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
            service.SuppressInitialDiagnosticInformation = true;
            service.HideCommandPromptWindow = true;
            _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
            return _driver;
        }
    }

    /// <summary>A blank page and an empty console log, so one test's leftovers (a page still polling a stopped server) never reach the next.</summary>
    public ChromeDriver Fresh()
    {
        Driver.Navigate().GoToUrl("about:blank");
        _ = ConsoleErrors();
        return Driver;
    }

    /// <summary>Console messages of level SEVERE (errors, uncaught exceptions, failed loads) since the last call.</summary>
    public IReadOnlyList<string> ConsoleErrors() =>
        Driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Severe).Select(e => e.Message).ToList();

    public void Dispose()
    {
        _driver?.Quit();
        _driver?.Dispose();
    }
}
