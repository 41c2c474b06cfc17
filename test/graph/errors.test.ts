// Bad input gives a VaekitError naming the op and the shapes, never a NaN or a bare ORT crash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grad } from '../../src/autodiff/grad.js';
import { VaekitError } from '../../src/errors.js';
import { emit } from '../../src/graph/ops/core.js';
import { add, conv2d, concat, gemm, matmul, reshape, sum, where } from '../../src/graph/ops/index.js';
import { Graph } from '../../src/graph/tensor.js';
import { nodeEngine } from '../../src/node.js';

const throwsWith = (f: () => unknown, ...parts: string[]) =>
  assert.throws(f, (e: unknown) => e instanceof VaekitError && parts.every((p) => e.message.includes(p)), `expected VaekitError mentioning ${parts.join(', ')}`);

test('shape errors name the op and the shapes while tracing', () => {
  const g = new Graph();
  const a = g.input('a', [128, 784]);
  const b = g.input('b', [400, 784]);
  throwsWith(() => matmul(a, b), 'MatMul', '[128,784]', '[400,784]');
  throwsWith(() => gemm(a, b), 'Gemm', '784', '400');
  throwsWith(() => add(a, g.input('c', [3])), 'Add', '[128,784]', '[3]');
  throwsWith(() => reshape(a, [100, 7]), 'Reshape', '[100,7]');
  throwsWith(() => concat([a, b], 1), 'Concat', 'axis 1');
  throwsWith(() => conv2d(g.input('img', [1, 3, 8, 8]), g.input('k', [4, 2, 3, 3])), 'Conv', 'input channels');
  throwsWith(() => sum(a, 5), 'ReduceSum', 'axis 5');
});

test('dtype errors name the op and the dtypes', () => {
  const g = new Graph();
  const a = g.input('a', [2, 2]);
  const i = g.input('i', [2, 2], 'int64');
  throwsWith(() => add(a, i), 'Add', 'float32', 'int64');
  throwsWith(() => where(a, a, a), 'Where', 'bool');
});

test('an op without a gradient rule is named by grad', () => {
  const g = new Graph();
  const x = g.input('x', [3]);
  const y = emit('Sin', [x], {}, [3], 'float32');
  throwsWith(() => grad(sum(y), [x]), 'Sin', 'no gradient rule');
});

test('a graph ORT refuses is reported with the graph name and inputs', async () => {
  const g = new Graph();
  const x = g.input('x', [3]);
  const y = emit('NoSuchOp', [x], {}, [3], 'float32');
  await assert.rejects(nodeEngine({ threads: 1 }).compile(g, { y }, 'bogus'), (e: unknown) => e instanceof VaekitError && /bogus/.test(e.message) && /x\[3\]/.test(e.message));
});

test('feeds with a wrong size or type name the input and its shape', async () => {
  const g = new Graph();
  const x = g.input('x', [2, 3]);
  const f = await nodeEngine({ threads: 1 }).compile(g, { y: sum(x) });
  await assert.rejects(f.run({ x: new Float32Array(5) }), (e: unknown) => e instanceof VaekitError && e.message.includes('[2,3]'));
  await assert.rejects(f.run({ x: new Float64Array(6) as unknown as Float32Array }), (e: unknown) => e instanceof VaekitError && e.message.includes('float32'));
  await assert.rejects(f.run({}), (e: unknown) => e instanceof VaekitError && e.message.includes('missing input "x"'));
});
