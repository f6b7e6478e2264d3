namespace Levain.Synthetic.Code.Syntax;

/// <summary>Comparison operators of conditions (<c>&lt; &lt;= &gt; &gt;= == !=</c>).</summary>
public enum ComparisonOperator
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}
