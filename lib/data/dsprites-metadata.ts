/**
 * The `metadata` member of a dSprites npz: a pickled 0-d numpy object array holding a dict.
 * We only ever WRITE it (for exports in the official layout); reading skips it, never unpickling.
 *
 * The writer emits pickle protocol 2 with the opcodes numpy itself uses for a 0-d object array
 * (numpy.core.multiarray._reconstruct + BUILD), so that in Python
 * `np.load(f, allow_pickle=True)["metadata"][()]` is a dict, as with the official file. Values are
 * plain Python objects (str, int, float, list, tuple, dict); the official file stores
 * latents_sizes and the value tables as numpy arrays instead.
 */
import {
  DSPRITES_FACTOR_NAMES,
  DSPRITES_FACTOR_SIZES,
  DSPRITES_FACTOR_VALUES,
} from "./dsprites-spec";

/** A Python value the writer can pickle. Tuples are written from `{ tuple: [...] }`. */
export type PickleValue = string | number | boolean | null | PickleValue[] | { tuple: PickleValue[] } | { dict: [string, PickleValue][] };

class PickleWriter {
  private readonly bytes: number[] = [];
  op(s: string): this {
    for (let i = 0; i < s.length; i++) this.bytes.push(s.charCodeAt(i) & 0xff);
    return this;
  }
  unicode(s: string): this {
    const b = Buffer.from(s, "utf8");
    this.op("X");
    this.u32(b.length);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  u32(n: number): this {
    this.bytes.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
    return this;
  }
  value(v: PickleValue): this {
    if (v === null) return this.op("N");
    if (typeof v === "boolean") return this.op(v ? "\x88" : "\x89");
    if (typeof v === "string") return this.unicode(v);
    if (typeof v === "number") {
      if (Number.isInteger(v) && Math.abs(v) < 2 ** 31) return this.op("J").u32(v | 0);
      const b = Buffer.alloc(8);
      b.writeDoubleBE(v, 0);
      this.op("G");
      for (const x of b) this.bytes.push(x);
      return this;
    }
    if (Array.isArray(v)) {
      this.op("](");
      for (const x of v) this.value(x);
      return this.op("e");
    }
    if ("tuple" in v) {
      this.op("(");
      for (const x of v.tuple) this.value(x);
      return this.op("t");
    }
    this.op("}(");
    for (const [k, x] of v.dict) this.unicode(k).value(x);
    return this.op("u");
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** Pickle (protocol 2) of numpy.array(dict, dtype=object), as np.save writes it. */
export function pickleObjectArray(dict: { dict: [string, PickleValue][] }): Uint8Array {
  const w = new PickleWriter();
  w.op("\x80\x02");
  w.op("cnumpy.core.multiarray\n_reconstruct\n").op("cnumpy\nndarray\n").op("K\x00\x85");
  w.op("c_codecs\nencode\n").unicode("b").unicode("latin1").op("\x86R").op("\x87R");
  w.op("(K\x01)").op("cnumpy\ndtype\n").unicode("O8").op("\x89\x88\x87R");
  w.op("(K\x03").unicode("|").op("NNN").op("J").u32(0xffffffff).op("J").u32(0xffffffff).op("K?tb");
  w.op("\x89").op("](").value(dict).op("e").op("tb.");
  return w.done();
}

/** The metadata dict of the official file (same keys), as a pickle. */
export function dspritesMetadataPickle(description: string): Uint8Array {
  const values: [string, PickleValue][] = DSPRITES_FACTOR_NAMES.map((name, f) => [name, Array.from(DSPRITES_FACTOR_VALUES[f])]);
  return pickleObjectArray({
    dict: [
      ["title", "dSprites dataset"],
      ["description", description],
      ["latents_sizes", [...DSPRITES_FACTOR_SIZES]],
      ["latents_names", { tuple: [...DSPRITES_FACTOR_NAMES] }],
      ["latents_possible_values", { dict: values }],
      ["version", 1],
    ],
  });
}
