namespace Shipgate.Flags.Compiled;

/// <summary>Unleash's constraint operators.</summary>
internal enum ConstraintOperator
{
    In,
    NotIn,
    StrContains,
    StrStartsWith,
    StrEndsWith,
    NumEq,
    NumGt,
    NumGte,
    NumLt,
    NumLte,
    SemverEq,
    SemverGt,
    SemverLt,
    SemverGte,
    SemverLte,
    DateAfter,
    DateBefore,
    Regex,
}
