/** Returns the text of src/simd/kernelsBinary.ts for the current src/simd/kernels.wat. */
export function compileKernels(): Promise<string>;
