namespace Levain.Studies.Tests.Stores;

/// <summary>Makes stores of one kind for the contract suite; each call may share the database but not the connection.</summary>
public interface IStudyStoreFixture
{
    IStudyStore Create(TimeProvider timeProvider);
}
