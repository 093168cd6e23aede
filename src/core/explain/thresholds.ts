// Where a gradient stops being ordinary: the numbers behind "tiny", "saturated", "vanishing" and
// "exploding", in one place. Gradients are ∂output/∂x, so they are already relative to the
// output (whose own gradient is 1).

/** A gradient below this in size is tiny whatever the others are. */
export const TINY_ABSOLUTE = 1e-6;
/** A gradient this much smaller than the lens's largest is tiny next to it. */
export const TINY_RELATIVE = 1e-4;

/** tanh is saturated where its slope 1 − tanh² is below this (|input| above about 4.15). */
export const SATURATED_TANH_SLOPE = 1e-3;
/** exp is saturated where its slope (its value) is below this or above its inverse (|input| > 13.8). */
export const SATURATED_EXP_SLOPE = 1e-6;

/** A path whose product of local derivatives is below this in size vanishes. */
export const VANISHING_PRODUCT = 1e-6;
/** A path whose product of local derivatives is above this in size explodes. */
export const EXPLODING_PRODUCT = 1e6;
