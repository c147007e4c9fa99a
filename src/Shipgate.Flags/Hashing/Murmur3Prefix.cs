namespace Shipgate.Flags.Hashing;

/// <summary>A MurmurHash3 x86-32 state after a prefix: the mixed whole blocks, the prefix's last 0–3 bytes, its length.</summary>
internal readonly record struct Murmur3Prefix(uint State, uint Tail, int TailLength, int Length);
