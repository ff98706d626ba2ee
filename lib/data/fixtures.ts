/**
 * Small stand-ins for CelebA and 3D Chairs in their official folder layouts, drawn here (neither
 * dataset can be downloaded on the machines that build this project). They exercise the loaders,
 * the training engine and notebook 04 end to end in the smoke profile; they are NOT the datasets,
 * and nothing measured on them is a result.
 *
 * Each image varies along known factors, so the pipeline has something to learn:
 * - CelebA stand-in: a face-like ellipse whose horizontal position, size and skin tone vary; the
 *   attribute "Smiling" (+1/-1) draws a mouth arc; the other 39 attributes are seeded noise.
 * - Chairs stand-in: a box "chair" whose apparent width follows the azimuth (|cos|) and whose
 *   seat height follows the elevation; each chair has its own colour.
 */
import * as fs from "fs";
import * as path from "path";
import { createCanvas } from "canvas";
import { makeRng } from "../rng";

/** The 40 CelebA attribute names, in the official file's order. */
export const CELEBA_ATTRIBUTE_NAMES: readonly string[] = [
  "5_o_Clock_Shadow", "Arched_Eyebrows", "Attractive", "Bags_Under_Eyes", "Bald", "Bangs", "Big_Lips", "Big_Nose",
  "Black_Hair", "Blond_Hair", "Blurry", "Brown_Hair", "Bushy_Eyebrows", "Chubby", "Double_Chin", "Eyeglasses",
  "Goatee", "Gray_Hair", "Heavy_Makeup", "High_Cheekbones", "Male", "Mouth_Slightly_Open", "Mustache", "Narrow_Eyes",
  "No_Beard", "Oval_Face", "Pale_Skin", "Pointy_Nose", "Receding_Hairline", "Rosy_Cheeks", "Sideburns", "Smiling",
  "Straight_Hair", "Wavy_Hair", "Wearing_Earrings", "Wearing_Hat", "Wearing_Lipstick", "Wearing_Necklace", "Wearing_Necktie", "Young",
];

function fresh(root: string, sub: string): string {
  const dir = path.join(root, sub);
  if (fs.existsSync(dir)) throw new Error(`${dir} exists already; fixtures are only written into an empty folder`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes `n` CelebA-layout images (178 x 218 JPEG) and list_attr_celeba.txt under root. */
export function writeCelebAFixture(root: string, n: number, seed = 0): void {
  const dir = fresh(root, "img_align_celeba");
  const rng = makeRng(seed);
  const smiling = CELEBA_ATTRIBUTE_NAMES.indexOf("Smiling");
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = `${String(i + 1).padStart(6, "0")}.jpg`;
    const c = createCanvas(178, 218);
    const ctx = c.getContext("2d");
    const bg = Math.floor(rng.next() * 200);
    ctx.fillStyle = `rgb(${bg}, ${Math.floor(bg * 0.8)}, ${255 - bg})`;
    ctx.fillRect(0, 0, 178, 218);
    const cx = 89 + (rng.next() - 0.5) * 40;
    const r = 40 + rng.next() * 20;
    const tone = 150 + Math.floor(rng.next() * 100);
    ctx.fillStyle = `rgb(${tone}, ${Math.floor(tone * 0.75)}, ${Math.floor(tone * 0.6)})`;
    ctx.beginPath();
    ctx.ellipse(cx, 109, r * 0.8, r, 0, 0, 2 * Math.PI);
    ctx.fill();
    const values = CELEBA_ATTRIBUTE_NAMES.map(() => (rng.next() < 0.4 ? 1 : -1));
    ctx.strokeStyle = "#400";
    ctx.lineWidth = 4;
    ctx.beginPath();
    if (values[smiling] === 1) ctx.arc(cx, 115, r * 0.4, 0.2 * Math.PI, 0.8 * Math.PI);
    else ctx.moveTo(cx - r * 0.3, 135), ctx.lineTo(cx + r * 0.3, 135);
    ctx.stroke();
    fs.writeFileSync(path.join(dir, file), c.toBuffer("image/jpeg", { quality: 0.9 }));
    rows.push(`${file} ${values.map((v) => (v === 1 ? " 1" : "-1")).join(" ")}`);
  }
  fs.writeFileSync(path.join(root, "list_attr_celeba.txt"), [String(n), CELEBA_ATTRIBUTE_NAMES.join(" "), ...rows].join("\n") + "\n");
}

/** Writes `numChairs` chairs x 62 views (31 azimuths x elevations 20 and 30) of 600 x 600 PNGs. */
export function writeChairsFixture(root: string, numChairs: number, seed = 0): void {
  const base = fresh(root, "rendered_chairs");
  const rng = makeRng(seed);
  for (let chair = 0; chair < numChairs; chair++) {
    const dir = path.join(base, `chair_${String(chair).padStart(4, "0")}`, "renders");
    fs.mkdirSync(dir, { recursive: true });
    const colour = [50 + rng.int(150), 50 + rng.int(150), 50 + rng.int(150)];
    const legs = 0.5 + rng.next() * 0.5;
    let view = 1;
    for (const elevation of [20, 30]) {
      for (let a = 0; a < 31; a++) {
        const azimuth = Math.round((a * 360) / 31);
        const c = createCanvas(600, 600);
        const ctx = c.getContext("2d");
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(0, 0, 600, 600);
        const w = 60 + 140 * Math.abs(Math.cos((azimuth * Math.PI) / 180));
        const seatY = 300 + (elevation - 25) * 4;
        ctx.fillStyle = `rgb(${colour.join(",")})`;
        ctx.fillRect(300 - w / 2, seatY - 140, w, 140 * legs); // back
        ctx.fillRect(300 - w / 2, seatY, w, 30); // seat
        ctx.fillRect(300 - w / 2, seatY + 30, 12, 110); // legs
        ctx.fillRect(300 + w / 2 - 12, seatY + 30, 12, 110);
        const name = `image_${String(view).padStart(3, "0")}_p${String(elevation).padStart(3, "0")}_t${String(azimuth).padStart(3, "0")}_r096.png`;
        fs.writeFileSync(path.join(dir, name), c.toBuffer("image/png"));
        view++;
      }
    }
  }
}
