import { GoTyped } from '../value.js';
import { formatFloat } from './strconv.js';

/** A complex128 template constant such as `1+2i` (prints like Go: `(1+2i)`). */
export class GoComplex extends GoTyped {
  readonly goType = 'complex128';
  constructor(
    readonly re: number,
    readonly im: number,
  ) {
    super();
  }
  format(): string {
    const im = formatFloat(this.im, 'g', -1);
    return `(${formatFloat(this.re, 'g', -1)}${im.startsWith('-') || im.startsWith('+') ? im : `+${im}`}i)`;
  }
}
