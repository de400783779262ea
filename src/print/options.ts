// Global print options, with torch.set_printoptions semantics.

export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  sciMode: boolean | null;
}

export type PrintProfile = 'default' | 'short' | 'full';

const PROFILES: Record<PrintProfile, Omit<PrintOptions, 'sciMode'>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

const opts: PrintOptions = { ...PROFILES.default, sciMode: null };

/**
 * Like torch.set_printoptions: a profile is applied first, then the explicit fields.
 * As in PyTorch, every call also sets sciMode, so a call without it resets it to automatic.
 */
export function setPrintOptions(o: Partial<PrintOptions> & { profile?: PrintProfile }): void {
  if (o.profile !== undefined) {
    const base = PROFILES[o.profile];
    if (base === undefined) throw new TypeError(`unknown print profile ${JSON.stringify(o.profile)}`);
    Object.assign(opts, base);
  }
  if (o.precision != null) opts.precision = o.precision;
  if (o.threshold != null) opts.threshold = o.threshold;
  if (o.edgeitems != null) opts.edgeitems = o.edgeitems;
  if (o.linewidth != null) opts.linewidth = o.linewidth;
  opts.sciMode = o.sciMode ?? null;
}

export function getPrintOptions(): PrintOptions {
  return { ...opts };
}
