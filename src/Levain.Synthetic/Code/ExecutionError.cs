namespace Levain.Synthetic.Code;

/// <summary>Why a program did not run to completion (expected failures of generated or mutated programs).</summary>
public enum ExecutionError
{
    None,
    DivisionByZero,
    IndexOutOfRange,
    UndefinedVariable,
    TypeMismatch,
    ValueOutOfRange,
    ListTooLong,
    StepLimitExceeded,
}
