import type { CredentialClass, Severity } from '../rules/types.js';
import type { Secret } from './secret.js';

/** A piece of text to scan: a whole file, or the added lines of one file in a diff. */
export interface Fragment {
  /** Path reported in findings (relative to the scanned folder, or the diff's `b/` path). */
  path: string;
  text: string;
  /**
   * Original 1-based line number of each line of `text`, when `text` is not the whole file (the added
   * lines of a diff). Absent: line N of `text` is line N of the file.
   */
  lineNumbers?: readonly number[];
}

export interface Finding {
  path: string;
  /** 1-based line in the original file. */
  line: number;
  /** 1-based column (UTF-16 code units) in the original line. */
  column: number;
  ruleId: string;
  provider: string;
  title: string;
  class: CredentialClass;
  severity: Severity;
  /** Visible prefix and the last 4 characters only, e.g. `sk-proj-…a1B2`. */
  redacted: string;
  /** HMAC-SHA-256 of the secret under the fingerprint key, hex. */
  fingerprint: string;
  /** The raw value, wrapped: prints and serialises as `redacted`. */
  secret: Secret;
}

/** Why a candidate match was dropped; logged at debug, never with the value. */
export type DropReason =
  | 'boundary'
  | 'placeholder'
  | 'variable-reference'
  | 'low-entropy'
  | 'invalid-structure'
  | 'inline-allow'
  | 'baseline'
  | 'ignored-path'
  | 'excluded-region';

export interface Dropped {
  path: string;
  line: number;
  ruleId: string;
  reason: DropReason;
}

export interface ScanOptions {
  /** Key for the HMAC fingerprint. Required: the engine never reads the environment. */
  fingerprintKey: string;
  /** Fingerprints to leave out (a baseline of known findings). */
  baseline?: ReadonlySet<string>;
  /** Called for every dropped candidate, with the reason (never the value). */
  onDrop?: (dropped: Dropped) => void;
}
