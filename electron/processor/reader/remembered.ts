// Text rules remembered per input text. A feed repeats the same few thousand strings (symbols,
// sectors, times) every cycle, and a handful of string operations per cell was a tenth of a
// 5,000-symbol read. Bounded, for a feed that keeps inventing text.
export function rememberedByText<T>(rule: (text: string) => T, atMost = 50_000): (text: string) => T {
  const remembered = new Map<string, T>();
  return (text) => {
    if (remembered.has(text)) return remembered.get(text)!;
    const result = rule(text);
    if (remembered.size >= atMost) remembered.clear();
    remembered.set(text, result);
    return result;
  };
}
