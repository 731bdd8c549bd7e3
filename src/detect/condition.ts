/**
 * The Sigma condition grammar: search identifiers, `and`, `or`, `not`, parentheses, and `1 of x*`, `all of x*`,
 * `N of x*`, `… of them`. Precedence: not, then and, then or. Sigma 1 aggregations (`| count() by x > 5`) are
 * reported as unsupported.
 */
export type ConditionNode =
  | { readonly type: 'search'; readonly name: string }
  | { readonly type: 'not'; readonly operand: ConditionNode }
  | { readonly type: 'and' | 'or'; readonly operands: readonly ConditionNode[] }
  | { readonly type: 'of'; readonly quantifier: 'all' | number; readonly pattern: string };

type Token = { kind: 'word'; text: string } | { kind: '(' | ')' };

function tokenize(text: string): Token[] {
  if (text.includes('|')) throw new Error('aggregation expressions (| count() …) are not supported');
  const tokens: Token[] = [];
  const pattern = /\s*(\(|\)|[^\s()]+)/g;
  let match: RegExpExecArray | null;
  let position = 0;
  while ((match = pattern.exec(text)) !== null) {
    if (match.index !== position && text.slice(position, match.index).trim() !== '')
      throw new Error(`cannot read ${JSON.stringify(text.slice(position, match.index))}`);
    const value = match[1] as string;
    tokens.push(value === '(' || value === ')' ? { kind: value } : { kind: 'word', text: value });
    position = pattern.lastIndex;
  }
  if (text.slice(position).trim() !== '')
    throw new Error(`cannot read ${JSON.stringify(text.slice(position))}`);
  return tokens;
}

export function parseCondition(text: string): ConditionNode {
  const tokens = tokenize(text);
  let index = 0;
  const peekWord = () => {
    const token = tokens[index];
    return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
  };

  const parseOr = (): ConditionNode => {
    const operands = [parseAnd()];
    while (peekWord() === 'or') {
      index++;
      operands.push(parseAnd());
    }
    return operands.length === 1 ? (operands[0] as ConditionNode) : { type: 'or', operands };
  };
  const parseAnd = (): ConditionNode => {
    const operands = [parseNot()];
    while (peekWord() === 'and') {
      index++;
      operands.push(parseNot());
    }
    return operands.length === 1 ? (operands[0] as ConditionNode) : { type: 'and', operands };
  };
  const parseNot = (): ConditionNode => {
    if (peekWord() === 'not') {
      index++;
      return { type: 'not', operand: parseNot() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): ConditionNode => {
    const token = tokens[index];
    if (!token) throw new Error(`the condition ends too early: ${JSON.stringify(text)}`);
    if (token.kind === '(') {
      index++;
      const inner = parseOr();
      if (tokens[index]?.kind !== ')')
        throw new Error(`a parenthesis is not closed in ${JSON.stringify(text)}`);
      index++;
      return inner;
    }
    if (token.kind === ')') throw new Error(`unexpected ) in ${JSON.stringify(text)}`);
    const word = (token as { kind: 'word'; text: string }).text;
    const lower = word.toLowerCase();
    if (lower === 'and' || lower === 'or') throw new Error(`unexpected ${word} in ${JSON.stringify(text)}`);
    const next = tokens[index + 1];
    const nextWord = next?.kind === 'word' ? next.text.toLowerCase() : undefined;
    if ((lower === 'all' || /^\d+$/.test(lower) || lower === 'any') && nextWord === 'of') {
      const target = tokens[index + 2];
      if (target?.kind !== 'word')
        throw new Error(`"${word} of" needs a search identifier pattern or "them"`);
      index += 3;
      const quantifier = lower === 'all' ? 'all' : lower === 'any' ? 1 : Number(lower);
      const pattern = target.text.toLowerCase() === 'them' ? 'them' : target.text;
      return { type: 'of', quantifier, pattern };
    }
    index++;
    return { type: 'search', name: word };
  };

  const tree = parseOr();
  if (index < tokens.length)
    throw new Error(
      `unexpected ${JSON.stringify(tokens[index]?.kind === 'word' ? (tokens[index] as { text: string }).text : tokens[index]?.kind)} in ${JSON.stringify(text)}`,
    );
  return tree;
}
