// A checkpoint resumed against data or a model it does not fit is refused before training, field by field;
// the same checkpoint against its own data resumes (the positive control).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { subset } from '../../src/data/dataset.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { VaekitError } from '../../src/errors.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { nodeEngine } from '../../src/node.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { Trainer } from '../../src/train/trainer.js';
import { type TrainerState } from '../../src/train/trainerState.js';

const engine = nodeEngine({ threads: 1 });
const model = parseVaeConfig({ hidden: [16], latentDim: 2 });
const training = parseTrainConfig({ epochs: 2, seed: 3, batchSize: 50 });

test('every field of a mid-epoch state is checked against the data and the model', async () => {
  const d = await loadEmbeddedMnist();
  const data = (n: number) => ({ train: subset(d.train, Array.from({ length: n }, (_, i) => i)) });
  const t = await Trainer.create(engine, model, training, data(500), undefined, { stepsPerCall: 2 });
  await t.run((e) => e.type === 'step' && e.step === 3 && t.stop());
  const st = t.state();
  assert.ok(st.batch > 0 && st.perm, 'stopped mid-epoch');
  const refused = async (s: TrainerState, pattern: RegExp, m = model, n = 500) =>
    assert.rejects(Trainer.create(engine, m, training, data(n), s), (e: unknown) => e instanceof VaekitError && pattern.test(e.message));

  await refused(st, /data order covers 500 training examples but the data now has 400; .*same data/, model, 400);
  await refused(structuredClone({ ...st, perm: st.perm!.map((v, i) => (i === 1 ? st.perm![0] : v)) }), /not a permutation of 0\.\.499 \(entry 1/);
  await refused({ ...st, batch: st.batch + 1 }, /step \d+ disagrees with batch/);
  await refused({ ...st, epoch: 1 }, /epoch counter 1 disagrees with its 0 epoch records/);
  await refused({ ...st, acc: { ...st.acc, count: st.acc.count + 1 } }, /metric sums cover \d+ examples but \d+ batches of 50 hold/);
  await refused({ ...st, dataRng: { words: [0, 0, 0, 0], spare: null } }, /data PRNG state is all zeros/);
  const nan = structuredClone(st);
  nan.train.opt.v['dec.0.bias'][2] = NaN;
  await refused(nan, /optimizer slot "v" hold a non-finite value: "dec\.0\.bias"\[2\] is NaN/);
  const slots = structuredClone(st);
  delete (slots.train.opt as Record<string, unknown>).v;
  await refused(slots, /optimizer slots \[m\] do not match the optimizer's \[m, v\]/);
  await refused(st, /parameters: "enc\.0\.weight" has \d+ values but the model needs/, parseVaeConfig({ hidden: [17], latentDim: 2 }));
  // the positive control: the same state on its own data resumes and finishes
  const again = await Trainer.create(engine, model, training, data(500), st);
  assert.equal(await again.run(), 'finished');
});
