/**
 * A row-major matrix of float64 values. Activations and gradients keep double precision (which
 * JavaScript computes in anyway), while weights are stored as float32 like the files they come from.
 */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

function assertLength(values: ArrayLike<number>, expected: number, what: string): void {
  if (values.length !== expected) throw new RangeError(`${what} has ${values.length} values, expected ${expected}`);
}

/** x · Wᵀ with W stored [out × in] row-major, as a linear layer's weight: [rows × in] → [rows × out]. */
export function multiplyTransposed(x: Matrix, weight: ArrayLike<number>, out: number): Matrix {
  const inner = x.cols;
  assertLength(weight, out * inner, "the weight");
  const result = zeros(x.rows, out);
  for (let row = 0; row < x.rows; row += 1) {
    const rowStart = row * inner;
    for (let column = 0; column < out; column += 1) {
      const weightStart = column * inner;
      let sum = 0;
      for (let index = 0; index < inner; index += 1) sum += x.data[rowStart + index]! * weight[weightStart + index]!;
      result.data[row * out + column] = sum;
    }
  }
  return result;
}

/** y · W with W stored [y.cols × inner] row-major (the gradient through a linear layer): [rows × y.cols] → [rows × inner]. */
export function multiply(y: Matrix, weight: ArrayLike<number>, inner: number): Matrix {
  assertLength(weight, y.cols * inner, "the weight");
  const result = zeros(y.rows, inner);
  for (let row = 0; row < y.rows; row += 1) {
    const resultStart = row * inner;
    for (let column = 0; column < y.cols; column += 1) {
      const factor = y.data[row * y.cols + column]!;
      if (factor === 0) continue;
      const weightStart = column * inner;
      for (let index = 0; index < inner; index += 1) result.data[resultStart + index]! += factor * weight[weightStart + index]!;
    }
  }
  return result;
}

/** scale · leftᵀ · right, summed over the rows (a weight gradient): [left.cols × right.cols], row-major. */
export function transposedProduct(left: Matrix, right: Matrix, scale: number): Float64Array {
  if (left.rows !== right.rows) throw new RangeError(`row counts differ: ${left.rows} and ${right.rows}`);
  const result = new Float64Array(left.cols * right.cols);
  for (let row = 0; row < left.rows; row += 1) {
    const rightStart = row * right.cols;
    for (let column = 0; column < left.cols; column += 1) {
      const factor = left.data[row * left.cols + column]!;
      if (factor === 0) continue;
      const resultStart = column * right.cols;
      for (let index = 0; index < right.cols; index += 1) result[resultStart + index]! += factor * right.data[rightStart + index]!;
    }
  }
  for (let index = 0; index < result.length; index += 1) result[index]! *= scale;
  return result;
}

/** Adds the vector to every row, in place. */
export function addToRows(matrix: Matrix, vector: ArrayLike<number>): void {
  assertLength(vector, matrix.cols, "the vector");
  for (let index = 0; index < matrix.data.length; index += 1) matrix.data[index]! += vector[index % matrix.cols]!;
}

/** target += scale · addend, in place. */
export function addScaled(target: Matrix, addend: Matrix, scale: number): void {
  assertLength(addend.data, target.data.length, "the addend");
  for (let index = 0; index < target.data.length; index += 1) target.data[index]! += scale * addend.data[index]!;
}

/** The element-wise product with a same-sized array of factors, as a new matrix. */
export function multiplyElementwise(matrix: Matrix, factors: ArrayLike<number>): Matrix {
  assertLength(factors, matrix.data.length, "the factors");
  return { rows: matrix.rows, cols: matrix.cols, data: matrix.data.map((value, index) => value * factors[index]!) };
}
