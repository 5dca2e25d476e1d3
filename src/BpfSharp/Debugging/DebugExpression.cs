using System.Globalization;

namespace BpfSharp.Debugging;

/// <summary>The small C-like expressions a debugger takes in conditions, <c>print</c> and <c>x</c>: registers and
/// names, numbers (decimal, <c>0x</c> hex, negative), <c>+ - * &amp; | ^ &lt;&lt; &gt;&gt;</c>, comparisons (unsigned, as
/// the registers hold u64), <c>&amp;&amp; || !</c>, parentheses, and loads <c>*(u32 *)(r10 - 4)</c> (<c>*expr</c> is a
/// u64). Parsed once; evaluated in a scope that resolves names and reads memory.</summary>
internal sealed class DebugExpression
{
    /// <summary>What an expression refers to while it is evaluated.</summary>
    /// <param name="Name">The value of a register or a variable; throws <see cref="BpfException"/> for unknown names.</param>
    /// <param name="Load">Reads size bytes at an address, little-endian; throws when the memory is not the run's.</param>
    internal sealed record Scope(Func<string, ulong> Name, Func<ulong, int, ulong> Load);

    readonly Func<Scope, ulong> evaluate;

    DebugExpression(string text, Func<Scope, ulong> evaluate) => (Text, this.evaluate) = (text, evaluate);

    public string Text { get; }

    public ulong Evaluate(Scope scope) => evaluate(scope);

    /// <exception cref="BpfException">The text is not an expression: the message names the column.</exception>
    public static DebugExpression Parse(string text)
    {
        var parser = new Parser(text);
        var tree = parser.Or();
        parser.SkipSpace();
        if (!parser.AtEnd) throw parser.Error("unexpected text");
        return new DebugExpression(text, tree);
    }

    sealed class Parser(string text)
    {
        int at;

        public bool AtEnd => at >= text.Length;

        public BpfException Error(string what) =>
            new($"expression '{text}': {what} at column {at + 1}{(AtEnd ? " (its end)" : $" ('{text[at..]}')")}");

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[at])) at++;
        }

        bool Take(string token)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, at, token, 0, token.Length) != 0) return false;
            // "&" must not take the first half of "&&", nor "<" of "<=" or "<<".
            var next = at + token.Length < text.Length ? text[at + token.Length] : '\0';
            if (token is "&" && next == '&' || token is "|" && next == '|' || token is "<" or ">" && next is '=' or '<' or '>'
                || token is "!" && next == '=') return false;
            at += token.Length;
            return true;
        }

        Func<Scope, ulong> Binary(Func<Func<Scope, ulong>> operand, params (string Token, Func<ulong, ulong, ulong> Apply)[] operators)
        {
            var left = operand();
            while (true)
            {
                var match = operators.FirstOrDefault(o => Take(o.Token));
                if (match.Token is null) return left;
                var (l, r, apply) = (left, operand(), match.Apply);
                left = s => apply(l(s), r(s));
            }
        }

        public Func<Scope, ulong> Or()
        {
            var left = And();
            while (Take("||"))
            {
                var (l, r) = (left, And());
                left = s => l(s) != 0 || r(s) != 0 ? 1UL : 0;
            }
            return left;
        }

        Func<Scope, ulong> And()
        {
            var left = Comparison();
            while (Take("&&"))
            {
                var (l, r) = (left, Comparison());
                left = s => l(s) != 0 && r(s) != 0 ? 1UL : 0;
            }
            return left;
        }

        Func<Scope, ulong> Comparison() => Binary(BitOr,
            ("==", (a, b) => a == b ? 1UL : 0), ("!=", (a, b) => a != b ? 1UL : 0), ("<=", (a, b) => a <= b ? 1UL : 0),
            (">=", (a, b) => a >= b ? 1UL : 0), ("<", (a, b) => a < b ? 1UL : 0), (">", (a, b) => a > b ? 1UL : 0));

        Func<Scope, ulong> BitOr() => Binary(BitXor, ("|", (a, b) => a | b));

        Func<Scope, ulong> BitXor() => Binary(BitAnd, ("^", (a, b) => a ^ b));

        Func<Scope, ulong> BitAnd() => Binary(Shift, ("&", (a, b) => a & b));

        Func<Scope, ulong> Shift() => Binary(Sum, ("<<", (a, b) => a << (int)(b & 63)), (">>", (a, b) => a >> (int)(b & 63)));

        Func<Scope, ulong> Sum() => Binary(Product, ("+", (a, b) => a + b), ("-", (a, b) => a - b));

        Func<Scope, ulong> Product() => Binary(Unary, ("*", (a, b) => a * b));

        Func<Scope, ulong> Unary()
        {
            if (Take("-"))
            {
                var operand = Unary();
                return s => (ulong)-(long)operand(s);
            }
            if (Take("!"))
            {
                var operand = Unary();
                return s => operand(s) == 0 ? 1UL : 0;
            }
            if (Take("*"))
            {
                var size = Cast() ?? 8;
                var address = Unary();
                return s => s.Load(address(s), size);
            }
            return Primary();
        }

        /// <summary><c>(u32 *)</c> after a <c>*</c>: the size of the load; null when no cast follows.</summary>
        int? Cast()
        {
            var start = at;
            if (!Take("(")) return null;
            SkipSpace();
            var word = Word();
            int? size = word switch { "u8" or "s8" or "__u8" => 1, "u16" or "s16" or "__u16" => 2, "u32" or "s32" or "__u32" => 4, "u64" or "s64" or "__u64" => 8, _ => null };
            if (size is null || !Take("*") || !Take(")"))
            {
                at = start;
                return null;
            }
            return size;
        }

        string Word()
        {
            var start = at;
            while (!AtEnd && (char.IsLetterOrDigit(text[at]) || text[at] is '_' or '.')) at++;
            return text[start..at];
        }

        Func<Scope, ulong> Primary()
        {
            SkipSpace();
            if (Take("("))
            {
                var inner = Or();
                if (!Take(")")) throw Error("')' expected");
                return inner;
            }
            if (AtEnd) throw Error("a value expected");
            var start = at;
            var word = Word();
            if (word.Length == 0) throw Error("a value expected");
            if (char.IsDigit(word[0]))
            {
                var hex = word.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
                if (!ulong.TryParse(hex ? word.AsSpan(2) : word, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None,
                        CultureInfo.InvariantCulture, out var value))
                {
                    at = start;
                    throw Error($"'{word}' is not a number");
                }
                return _ => value;
            }
            return s => s.Name(word);
        }
    }
}
