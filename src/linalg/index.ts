/** Dense linear algebra used by the simulation: Gram matrices, eigendecompositions, products. */
export { symmetricEigen, symmetricEigenvalues, symmetricExtremeEigenvalues } from './symmetricEigen';
export type { SymmetricEigen, SymmetricEigenOptions } from './symmetricEigen';
export { gramMatrix, productWithTranspose } from './gramMatrix';
export {
	norm2,
	distance2,
	multiply,
	multiplyTransposed,
	isAllFinite,
} from './vector';
