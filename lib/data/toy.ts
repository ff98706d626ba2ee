/**
 * A tiny ground-truth dataset for tests and smoke runs: a white square on black, 64 x 64, one
 * channel, with factors size (2: 12 or 20 pixels) x posX (8) x posY (8) = 128 images. Exact and
 * instant to render; not a substitute for dSprites.
 */
import type { GroundTruthDataset, ImageBatch } from "./dataset";
import type { Rng } from "../rng";

const SIZE = 64;
const SQUARE_SIDES = [12, 20] as const;
const POSITIONS = 8;

export function makeToyDataset(): GroundTruthDataset {
  const factorSizes = [SQUARE_SIDES.length, POSITIONS, POSITIONS] as const;
  return {
    name: "toy",
    source: "generated",
    numFactors: 3,
    factorSizes,
    factorNames: ["size", "posX", "posY"],
    size: factorSizes[0] * factorSizes[1] * factorSizes[2],
    imageShape: [SIZE, SIZE, 1],
    sampleFactors(n: number, rng: Rng): Int32Array {
      const out = new Int32Array(n * 3);
      for (let i = 0; i < n; i++) for (let f = 0; f < 3; f++) out[i * 3 + f] = rng.int(factorSizes[f]);
      return out;
    },
    observe(factors: Int32Array): ImageBatch {
      if (factors.length % 3 !== 0) throw new Error(`toy.observe: factors length ${factors.length} is not a multiple of 3`);
      const n = factors.length / 3;
      const data = new Float32Array(n * SIZE * SIZE);
      for (let i = 0; i < n; i++) {
        const side = SQUARE_SIDES[factors[i * 3]];
        if (side === undefined) throw new Error(`toy.observe: size class ${factors[i * 3]} out of range`);
        // Top-left corner spread evenly over the free range [0, 64 - side].
        const x0 = Math.round((factors[i * 3 + 1] * (SIZE - side)) / (POSITIONS - 1));
        const y0 = Math.round((factors[i * 3 + 2] * (SIZE - side)) / (POSITIONS - 1));
        for (let y = y0; y < y0 + side; y++) data.fill(1, i * SIZE * SIZE + y * SIZE + x0, i * SIZE * SIZE + y * SIZE + x0 + side);
      }
      return { data, n, height: SIZE, width: SIZE, channels: 1 };
    },
  };
}
