using Levain.Lm.Data;

namespace Levain.Lm.Tests.Data;

public sealed class TroffTextTests
{
    [Fact]
    public void ToPlainText_ManPage_KeepsTextDropsMarkup()
    {
        const string Troff = """
            .\" Copyright comment
            .TH LS 1 "2020" "GNU" "Команды"
            .SH ИМЯ
            ls \- выводит список файлов
            .SH ОПИСАНИЕ
            .B ls
            \fBперечисляет\fR файлы \(em \fIвсе\fP.
            .PP
            .BR dir (1)
            \s-1small\s0 \e path\&.
            """;
        string text = TroffText.ToPlainText(Troff);
        Assert.Equal("ИМЯ\nls - выводит список файлов\nОПИСАНИЕ\nls\nперечисляет файлы — все.\n\ndir (1)\nsmall \\ path.\n", text);
    }
}
