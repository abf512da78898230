import { describe, expect, it } from "vitest";
import { addScaled, addToRows, multiply, multiplyElementwise, multiplyTransposed, transposedProduct, type Matrix } from "./matrix.js";

const matrix = (rows: number, cols: number, values: number[]): Matrix => ({ rows, cols, data: Float64Array.from(values) });

// x = [[1, 2, 3], [4, 5, 6]]; W = [[1, 0, -1], [2, 1, 0]] stored [out × in].
const x = matrix(2, 3, [1, 2, 3, 4, 5, 6]);
const weight = Float32Array.from([1, 0, -1, 2, 1, 0]);

describe("matrix products", () => {
  it("multiplies by a transposed [out × in] weight, as a linear layer does", () => {
    expect([...multiplyTransposed(x, weight, 2).data]).toEqual([-2, 4, -2, 13]);
  });

  it("multiplies by a [rows × inner] weight, as the gradient through a layer does", () => {
    const dy = matrix(2, 2, [1, 2, 0, -1]);
    expect([...multiply(dy, weight, 3).data]).toEqual([5, 2, -1, -2, -1, 0]);
  });

  it("sums the scaled outer products of the rows, as a weight gradient does", () => {
    const left = matrix(2, 2, [1, 2, 0, -1]);
    expect([...transposedProduct(left, x, 2)]).toEqual([2, 4, 6, -4, -2, 0]);
  });

  it("refuses operands whose sizes do not match", () => {
    expect(() => multiplyTransposed(x, weight, 3)).toThrow(RangeError);
    expect(() => transposedProduct(matrix(1, 1, [1]), x, 1)).toThrow(/row counts differ/);
  });

  it("adds a vector to every row, a scaled matrix, and multiplies element-wise", () => {
    const target = matrix(2, 2, [1, 2, 3, 4]);
    addToRows(target, [10, 20]);
    addScaled(target, matrix(2, 2, [1, 1, 1, 1]), -2);
    expect([...target.data]).toEqual([9, 20, 11, 22]);
    expect([...multiplyElementwise(target, [0, 1, 2, 0]).data]).toEqual([0, 20, 22, 0]);
  });
});
