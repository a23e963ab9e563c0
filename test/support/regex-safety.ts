import { parse, type AstNode as RegexNode } from 'regjsparser';

type AstNode = RegexNode<{ namedGroups: true; lookbehind: true; unicodePropertyEscape: true }>;

/** Longest repetition a rule pattern may ask for; secrets are shorter than this. */
export const MAX_REPEAT = 8192;

/**
 * Why a pattern could backtrack catastrophically, or `undefined` when it cannot: every quantifier must
 * be bounded (no `*`, `+`, `{n,}`), and a repeated group may hold another repeat only when it repeats a
 * few times and starts with a literal separator (`(?:\.[A-Za-z0-9_-]{10,500}){2}`).
 */
export function unsafeReason(pattern: RegExp): string | undefined {
  const ast = parse(pattern.source, pattern.flags.replace(/[gyd]/g, ''), {
    namedGroups: true,
    lookbehind: true,
    unicodePropertyEscape: true,
  });
  return check(ast, undefined);
}

function check(node: AstNode, outer: { max: number; literalStart: boolean } | undefined): string | undefined {
  if (node.type === 'quantifier') {
    const max = node.max;
    if (max === undefined) return `unbounded quantifier ${node.raw}`;
    if (max > MAX_REPEAT) return `quantifier ${node.raw} repeats more than ${MAX_REPEAT}`;
    if (max > 1 && outer && outer.max > 1 && (outer.max > 4 || !outer.literalStart)) {
      return `nested repeat ${node.raw} inside a repeated group`;
    }
    const inner = max > 1 ? { max, literalStart: startsWithLiteral(node.body[0]) } : outer;
    for (const child of node.body) {
      const reason = check(child, inner);
      if (reason) return reason;
    }
    return undefined;
  }
  for (const child of childrenOf(node)) {
    const reason = check(child, outer);
    if (reason) return reason;
  }
  return undefined;
}

function startsWithLiteral(node: AstNode | undefined): boolean {
  if (!node) return false;
  if (node.type === 'value') return true;
  if (node.type === 'group' || node.type === 'alternative') return startsWithLiteral(childrenOf(node)[0]);
  return false;
}

function childrenOf(node: AstNode): AstNode[] {
  const body = (node as { body?: unknown }).body;
  return Array.isArray(body) ? (body as AstNode[]) : [];
}
