/**
 * Raw pixels as codes (the "raw pixels" row of the Higgins table): [n, height * width * channels].
 */
import type { ImageBatch } from "../data/dataset";
import type { Encoder } from "../metrics/encoder";

export const pixelEncoder: Encoder = (images: ImageBatch) => images.data;
