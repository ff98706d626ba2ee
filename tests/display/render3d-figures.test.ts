/** Figures of the rendered datasets: samples, factor sweeps, a two-factor grid. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadImage } from "canvas";
import { openChairs3d } from "../../lib/data/chairs3d";
import { openFaces3d } from "../../lib/data/faces3d";
import { evenClasses, previewClasses, renderedFactorGridPng, renderedSamplesPng, renderedSweepPng } from "../../lib/display/render3d-figures";

const chairs = openChairs3d({ cache: "off" });

test("evenClasses: evenly spaced, both ends, at most max", () => {
  assert.deepEqual(evenClasses(31, 11), [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
  assert.deepEqual(evenClasses(4, 11), [0, 1, 2, 3]);
  assert.deepEqual(evenClasses(1, 5), [0]);
  assert.deepEqual([...previewClasses(chairs)], [1, 1, 2, 2, 0, 3]);
});

test("samples, sweeps and the view grid are PNGs of the expected layout, the same for the same seed", async () => {
  const samples = renderedSamplesPng(chairs, { n: 16, cols: 8 });
  assert.deepEqual(samples, renderedSamplesPng(chairs, { n: 16, cols: 8 }), "deterministic");
  const s = await loadImage(samples);
  assert.ok(s.width >= 8 * 128 && s.height >= 2 * 128, `${s.width}x${s.height}`);

  const sweep = await loadImage(renderedSweepPng(chairs, { maxSteps: 11 }));
  assert.ok(sweep.width >= 11 * 128, `sweep ${sweep.width} wide`);
  assert.ok(sweep.height >= 6 * 128, `one row per factor: ${sweep.height} high`);

  const views = await loadImage(renderedFactorGridPng(chairs, "elevation", "azimuth"));
  assert.ok(views.width >= 31 * 64 && views.height >= 2 * 64, `${views.width}x${views.height}`);
  assert.throws(() => renderedFactorGridPng(chairs, "colour", "azimuth"), /chairs3d: no factor "colour" \(factors: legStyle, armrests, backHeight, seatWidth, elevation, azimuth\)/);
  assert.throws(() => renderedSweepPng(chairs, { base: [0, 0, 0, 0, 0, 40] }), /factor azimuth class 40 is out of range/);

  const faces = openFaces3d({ cache: "off" });
  const fs = await loadImage(renderedSweepPng(faces, { maxSteps: 9 }));
  assert.ok(fs.height >= 7 * 128);
});
