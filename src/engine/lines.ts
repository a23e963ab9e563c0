/**
 * Offsets to lines and columns, built on first use (most fragments have no candidate and never pay
 * for it). Lines are split on `\n`; a `\r` before it belongs to the line end.
 */
export class LineIndex {
  readonly #text: string;
  readonly #lineNumbers: readonly number[] | undefined;
  #starts: number[] | undefined;

  constructor(text: string, lineNumbers?: readonly number[]) {
    this.#text = text;
    this.#lineNumbers = lineNumbers;
  }

  /** 1-based line (in the original file) and 1-based column of an offset. */
  locate(offset: number): { line: number; column: number } {
    const index = this.#indexOf(offset);
    return { line: this.#original(index), column: offset - this.#startsOf()[index]! + 1 };
  }

  lineOf(offset: number): number {
    return this.#original(this.#indexOf(offset));
  }

  /** The text of the line holding `offset`, without its line end. */
  lineText(offset: number): string {
    const starts = this.#startsOf();
    const index = this.#indexOf(offset);
    const end = index + 1 < starts.length ? starts[index + 1]! - 1 : this.#text.length;
    return this.#text.slice(starts[index], end);
  }

  #original(index: number): number {
    return this.#lineNumbers?.[index] ?? index + 1;
  }

  #indexOf(offset: number): number {
    const starts = this.#startsOf();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  #startsOf(): number[] {
    if (this.#starts) return this.#starts;
    const starts = [0];
    for (let at = this.#text.indexOf('\n'); at !== -1; at = this.#text.indexOf('\n', at + 1))
      starts.push(at + 1);
    this.#starts = starts;
    return starts;
  }
}
