/** Reads the nick palette and the backgrounds of each theme out of src/web/style.css, and WCAG contrast. */
export type Rgb = [number, number, number];

function block(css: string, scheme: 'light' | 'dark'): string {
  if (scheme === 'light') return css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {')));
  const start = css.indexOf('@media (prefers-color-scheme: dark)');
  return css.slice(start, css.indexOf('}', start));
}

function hex(v: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(v.trim());
  if (!m) throw new Error(`not a #rrggbb colour: ${v}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

export function variable(css: string, scheme: 'light' | 'dark', name: string): Rgb {
  const m = new RegExp(`--${name}:\\s*([^;]+);`).exec(block(css, scheme));
  if (!m) throw new Error(`--${name} not set for ${scheme}`);
  return hex(m[1]!);
}

export function paletteOf(css: string, scheme: 'light' | 'dark'): Rgb[] {
  return [...block(css, scheme).matchAll(/--nick-(\d+):\s*([^;]+);/g)].map((m) => hex(m[2]!));
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
