import { inspect } from 'node:util';

/**
 * A raw credential that cannot leak by accident: printing, logging, interpolating or serialising it
 * shows only the redacted form. `reveal()` is the one way to the value, for the code that must send it
 * to the provider that issued it.
 */
export class Secret {
  readonly #value: string;
  readonly redacted: string;

  constructor(value: string, redacted: string) {
    this.#value = value;
    this.redacted = redacted;
  }

  /** The raw value. Call it only where the value is sent to its own provider; never log the result. */
  reveal(): string {
    return this.#value;
  }

  /** Constant-time-ish equality without exposing the value. */
  equals(other: string | Secret): boolean {
    const value = typeof other === 'string' ? other : other.#value;
    if (value.length !== this.#value.length) return false;
    let diff = 0;
    for (let i = 0; i < value.length; i++) diff |= value.charCodeAt(i) ^ this.#value.charCodeAt(i);
    return diff === 0;
  }

  toString(): string {
    return this.redacted;
  }

  toJSON(): string {
    return this.redacted;
  }

  [Symbol.toPrimitive](): string {
    return this.redacted;
  }

  [inspect.custom](): string {
    return `Secret(${this.redacted})`;
  }
}
