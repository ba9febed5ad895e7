/**
 * The experiment spec: the raw JSON shape a user writes (`*.ntk.json` files or tagged TypeScript
 * object literals) and the resolved form, with every default filled in, that the core simulates.
 * The JSON Schema in `schemas/ntk-spec.schema.json` describes the raw shape and states each default.
 */

export type Activation = 'tanh' | 'softplus' | 'sigmoid' | 'gelu' | 'sin' | 'relu';

export type Parametrization = 'ntk' | 'standard';

/**
 * How `h(w)` is made to vanish at initialization:
 * `initial` uses `h(w) = f(w) - f(w0)`, `antisymmetric` doubles the hidden units with mirrored
 * output weights so that `f(w0) = 0`, `none` uses `h(w) = f(w)`.
 */
export type Centering = 'initial' | 'antisymmetric' | 'none';

export type LossKind = 'sum' | 'mean';

export type SolverMethod = 'exponential' | 'dopri5';

/** Scalar quadratic `h(w) = a w + b w^2 / 2` of one parameter and one output. */
export interface QuadraticModelSpec {
	readonly type: 'quadratic';
	readonly a: number;
	readonly b: number;
	readonly w0: number;
}

/** Model linear in its parameters, `h(w) = X w`, for which the NTK error is exactly zero. */
export interface LinearModelSpec {
	readonly type: 'linear';
	/** Initial parameters (length d); zeros when omitted. */
	readonly w0: readonly number[];
}

/** Explicit initial weights of an MLP; the layout is documented in `src/model/mlp.ts`. */
export type MlpWeights = Readonly<Record<string, unknown>>;

export interface MlpModelSpec {
	readonly type: 'mlp';
	/** `[d, m_1, ..., m_k, outputs]`: input dimension, hidden widths, output count. */
	readonly widths: readonly number[];
	readonly activation: Activation;
	readonly bias: boolean;
	readonly parametrization: Parametrization;
	readonly centering: Centering;
	readonly init: { readonly seed: number } | { readonly weights: MlpWeights };
}

export type ModelSpec = QuadraticModelSpec | LinearModelSpec | MlpModelSpec;

/** Where the training data came from, kept for reports. */
export type DataSource =
	| { readonly kind: 'explicit' }
	| { readonly kind: 'teacher'; readonly seed: number; readonly description: string }
	| {
			readonly kind: 'file';
			readonly file: string;
			readonly target: string;
			readonly features: readonly string[];
			readonly standardized: boolean;
			/** Mean of each feature column over the used rows, before standardizing. */
			readonly featureMeans?: readonly number[];
			/** Population standard deviation (divisor n) of each feature column over the used rows. */
			readonly featureStds?: readonly number[];
			/** Mean of the target column over the used rows. */
			readonly targetMean?: number;
			/** Population standard deviation of the target column over the used rows. */
			readonly targetStd?: number;
			/** Rows skipped because of a missing value (`data.missing: "drop"`). */
			readonly droppedRows?: number;
	  };

/** Training data after loading: `x` is n x d (empty rows for the quadratic), `y` has n * outputs entries. */
export interface ResolvedData {
	readonly x: readonly (readonly number[])[];
	/** Targets flattened input-major: `y[i * outputs + k]`. */
	readonly y: readonly number[];
	readonly inputCount: number;
	readonly outputCount: number;
	readonly source: DataSource;
}

export interface ResolvedSolver {
	readonly method: SolverMethod;
	/** Relative tolerance on `E(t)` and the other reported series. */
	readonly rtol: number;
	readonly maxSteps: number;
}

/** A spec with defaults applied and data loaded: everything the simulation needs. */
export interface ResolvedSpec {
	readonly name: string;
	readonly model: ModelSpec;
	readonly data: ResolvedData;
	readonly training: {
		/** α, the output scale (α > 0) applied to the model, `r = y* - α h(w)`. */
		readonly alpha: number;
		/** Training time T in the units of the spec's loss (see `loss`). */
		readonly T: number;
		/** `sum` is the paper's loss; `mean` divides it by n, the same flow with time divided by n. */
		readonly loss: LossKind;
	};
	readonly analysis: {
		readonly epsilon: number;
		/** True: the tolerance is `epsilon * ||r0||`; false: it is `epsilon` itself. */
		readonly relative: boolean;
		/** Report times, increasing, in (0, T]. */
		readonly times: readonly number[];
	};
	readonly solver: ResolvedSolver;
	/** Optional α range for the sweep command. */
	readonly sweep?: { readonly from: number; readonly to: number; readonly count: number };
}

/** Raw `model` object as written, before defaults (see the JSON Schema for each default). */
export type RawModelSpec =
	| { readonly type: 'quadratic'; readonly a: number; readonly b: number; readonly w0: number }
	| { readonly type: 'linear'; readonly w0?: readonly number[] }
	| {
			readonly type: 'mlp';
			readonly widths: readonly number[];
			readonly activation: Activation;
			readonly bias?: boolean;
			readonly parametrization?: Parametrization;
			readonly centering?: Centering;
			readonly init?: { readonly seed?: number; readonly weights?: MlpWeights };
	  };

/** Raw `data.teacher` object: a seeded synthetic data set. */
export interface RawTeacherSpec {
	readonly inputs: number;
	readonly seed?: number;
	readonly function?: 'sinProjection' | 'mlp';
	readonly dimension?: number;
	readonly width?: number;
	readonly noise?: number;
}

/** Raw `data` object: explicit `x`/`y`, a `teacher`, or a `file` with its column options. */
export interface RawDataSpec {
	readonly x?: readonly (readonly number[])[];
	readonly y?: readonly (number | readonly number[])[];
	readonly teacher?: RawTeacherSpec;
	readonly file?: string;
	readonly target?: string;
	readonly features?: readonly string[];
	readonly standardize?: boolean;
	readonly limit?: number;
	readonly missing?: 'error' | 'drop';
}

/** Raw `analysis.times`: explicit times or a count and spacing. */
export type RawTimesSpec =
	| readonly number[]
	| { readonly count?: number; readonly spacing?: 'log' | 'linear' };

/** A spec as written in a `*.ntk.json` file or a tagged TypeScript object literal. */
export interface RawSpec {
	readonly name?: string;
	readonly description?: string;
	readonly model: RawModelSpec;
	readonly data: RawDataSpec;
	readonly training: { readonly alpha: number; readonly T: number; readonly loss?: LossKind };
	readonly analysis?: {
		readonly epsilon?: number;
		readonly relative?: boolean;
		readonly times?: RawTimesSpec;
	};
	readonly solver?: { readonly method?: SolverMethod; readonly rtol?: number; readonly maxSteps?: number };
	readonly sweep?: { readonly alpha: { readonly from: number; readonly to: number; readonly count: number } };
}
