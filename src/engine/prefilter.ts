import { isGlued } from './boundary.js';

/**
 * One pass over the text for every rule keyword at once: an Aho-Corasick automaton compiled to a dense
 * DFA over a small alphabet (the characters that occur in keywords, ASCII case folded). Scanning costs
 * one table lookup per character whatever the number of keywords.
 */

export interface Prefilter {
  /** The keywords, lower-cased, in the order given (a hit reports an index into this list). */
  readonly keywords: readonly string[];
  /**
   * Every occurrence of every keyword, case-insensitively, as a flat list of pairs:
   * `[keywordIndex, startOffset, keywordIndex, startOffset, …]`.
   */
  find(text: string): number[];
}

export interface PrefilterOptions {
  /**
   * Per keyword: leave out hits glued to a preceding identifier character (see `isGlued`), for keywords
   * that only start secrets.
   */
  dropGlued?: readonly boolean[];
}

/** Builds the automaton. Keywords must be non-empty ASCII; duplicates are reported once. */
export function buildPrefilter(keywords: readonly string[], options: PrefilterOptions = {}): Prefilter {
  const words = keywords.map((keyword) => keyword.toLowerCase());
  for (const word of words) {
    if (word.length === 0 || !/^[\x20-\x7e]+$/.test(word)) {
      throw new Error(`prefilter keywords must be printable ASCII, got ${JSON.stringify(word)}`);
    }
  }

  // Alphabet classes: 0 is "a character no keyword contains"; upper-case letters share the lower-case class.
  const classOf = new Uint8Array(128);
  let classCount = 1;
  for (const word of words) {
    for (let i = 0; i < word.length; i++) {
      const code = word.charCodeAt(i);
      if (classOf[code] === 0) {
        classOf[code] = classCount++;
        const upper = word[i]!.toUpperCase().charCodeAt(0);
        if (upper !== code) classOf[upper] = classOf[code]!;
      }
    }
  }
  let shift = 0;
  while (1 << shift < classCount) shift++;
  const width = 1 << shift;

  // Trie.
  const next: number[][] = [new Array(width).fill(-1)];
  const outputs: number[][] = [[]];
  words.forEach((word, index) => {
    let state = 0;
    for (let i = 0; i < word.length; i++) {
      const cls = classOf[word.charCodeAt(i)]!;
      let target = next[state]![cls]!;
      if (target === -1) {
        target = next.length;
        next.push(new Array(width).fill(-1));
        outputs.push([]);
        next[state]![cls] = target;
      }
      state = target;
    }
    if (!outputs[state]!.includes(index)) outputs[state]!.push(index);
  });

  // Failure links by breadth-first order, completing the transitions into a DFA.
  const fail = new Array<number>(next.length).fill(0);
  const queue: number[] = [];
  for (let cls = 0; cls < width; cls++) {
    const target = next[0]![cls]!;
    if (target === -1) next[0]![cls] = 0;
    else queue.push(target);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    outputs[state]!.push(...outputs[fail[state]!]!.filter((o) => !outputs[state]!.includes(o)));
    for (let cls = 0; cls < width; cls++) {
      const target = next[state]![cls]!;
      if (target === -1) {
        next[state]![cls] = next[fail[state]!]![cls]!;
      } else {
        fail[target] = next[fail[state]!]![cls]!;
        queue.push(target);
      }
    }
  }

  // Dense table of row offsets; a negative entry (~offset) marks a state with outputs.
  const delta = new Int32Array(next.length * width);
  for (let state = 0; state < next.length; state++) {
    for (let cls = 0; cls < width; cls++) {
      const target = next[state]![cls]!;
      const offset = target << shift;
      delta[(state << shift) + cls] = outputs[target]!.length > 0 ? ~offset : offset;
    }
  }
  const lengths = words.map((word) => word.length);
  const dropGlued = words.map((_, index) => options.dropGlued?.[index] === true);
  const outputLists = outputs.map((list) => Int32Array.from(list));

  return {
    keywords: words,
    find(text: string): number[] {
      const hits: number[] = [];
      const length = text.length;
      let row = 0;
      for (let i = 0; i < length; i++) {
        const code = text.charCodeAt(i);
        row = delta[row + (code < 128 ? classOf[code]! : 0)]!;
        if (row < 0) {
          row = ~row;
          const list = outputLists[row >> shift]!;
          for (let k = 0; k < list.length; k++) {
            const keyword = list[k]!;
            const start = i + 1 - lengths[keyword]!;
            if (dropGlued[keyword] && isGlued(text, start)) continue;
            hits.push(keyword, start);
          }
        }
      }
      return hits;
    },
  };
}
