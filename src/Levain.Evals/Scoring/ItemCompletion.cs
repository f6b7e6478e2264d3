namespace Levain.Evals.Scoring;

/// <summary>
/// Which items of a task are fully scored: an item is done once every unique request it needs (all its rotations,
/// choices and unconditional contexts) has an answer, from the cache or the backend. Requests are shared between
/// items, so one answer can finish several items.
/// </summary>
internal sealed class ItemCompletion
{
    private readonly Dictionary<string, List<int>> _itemsWaitingOn = new(StringComparer.Ordinal);
    private readonly List<int> _unanswered = [];

    /// <summary>Items registered with <see cref="AddItem"/>.</summary>
    public int Items => _unanswered.Count;

    /// <summary>Items whose every request is answered.</summary>
    public int Done { get; private set; }

    /// <summary>Registers the next item and returns its index.</summary>
    public int AddItem()
    {
        _unanswered.Add(0);
        Done++; // an item that needs nothing is done; each request it needs undoes this until answered
        return _unanswered.Count - 1;
    }

    /// <summary>
    /// Item <paramref name="item"/> needs the request <paramref name="key"/>. An item's requests are added one after
    /// another, before the next item's, so a repeat is always the last entry (constant time even for a key every item shares).
    /// </summary>
    public void Needs(int item, string key)
    {
        if (!_itemsWaitingOn.TryGetValue(key, out var items))
        {
            items = [];
            _itemsWaitingOn[key] = items;
        }
        if (items.Count > 0 && items[^1] == item) return;
        items.Add(item);
        if (_unanswered[item]++ == 0) Done--;
    }

    /// <summary>The request <paramref name="key"/> has its answer.</summary>
    public void Answered(string key)
    {
        if (!_itemsWaitingOn.Remove(key, out var items)) return;
        foreach (var item in items)
        {
            if (--_unanswered[item] == 0) Done++;
        }
    }
}
