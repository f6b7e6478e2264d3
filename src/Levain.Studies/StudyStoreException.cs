namespace Levain.Studies;

/// <summary>
/// A study store could not do what was asked because of its database (not because of the caller). Wraps the driver's
/// exception; <see cref="IsTransient"/> says whether retrying the same call may succeed (a busy or locked database,
/// a dropped connection, a serialization failure).
/// </summary>
public sealed class StudyStoreException : Exception
{
    public StudyStoreException()
    {
    }

    public StudyStoreException(string message)
        : base(message)
    {
    }

    public StudyStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StudyStoreException(string message, Exception? innerException, bool isTransient)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    public bool IsTransient { get; }
}
