// npm run bench:fashion — the pytorch/examples configuration (784-400-20, Bernoulli logits on grey pixels,
// Adam 1e-3, batch 128) on full Fashion-MNIST: s/epoch and test −ELBO for vaekit and, in the same run, for
// ../shared/reference/torch_vae.py, with the ratios. Also the peak RSS of the vaekit run.
// Options: --epochs N (default 5), --threads N, --no-torch.
import { parseArgs } from 'node:util';
import { parseVaeConfig } from '../src/models/vaeConfig.js';
import { nodeEngine } from '../src/node.js';
import { loadFashionMnist } from '../src/node/fashionMnist.js';
import { parseTrainConfig } from '../src/train/trainConfig.js';
import { Trainer, type EpochRecord } from '../src/train/trainer.js';
import { runTorchReference } from './torchReference.js';

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '5' }, threads: { type: 'string' }, 'no-torch': { type: 'boolean' } } });
const epochs = Number(values.epochs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const data = await loadFashionMnist();
const engine = nodeEngine({ threads: values.threads ? Number(values.threads) : undefined });
const model = parseVaeConfig({ latentDim: 20, hidden: [400], likelihood: { type: 'bernoulli' } });
const training = parseTrainConfig({ epochs, batchSize: 128, lr: 1e-3, seed: 1, binarize: 'none' });
const trainer = await Trainer.create(engine, model, training, data);
const recs: EpochRecord[] = [];
await trainer.run((e) => {
  if (e.type !== 'epoch') return;
  recs.push(e);
  console.log(`vaekit epoch ${e.epoch}: train ${e.seconds.toFixed(2)} s  train −ELBO ${e.train.negElbo.toFixed(3)}  test −ELBO ${e.test!.negElbo.toFixed(3)} nats/image`);
});
const ours = { sPerEpoch: median(recs.map((r) => r.seconds)), testNegElbo: recs[recs.length - 1].test!.negElbo };
const rssMiB = process.resourceUsage().maxRSS / 1024;
console.log(`vaekit: ${ours.sPerEpoch.toFixed(2)} s/epoch (median of ${epochs}, threads=${engine.threads}), test −ELBO ${ours.testNegElbo.toFixed(3)} after ${epochs} epochs, peak RSS ${rssMiB.toFixed(0)} MiB (target <= 1024)`);
if (!values['no-torch']) {
  const torch = await runTorchReference(['--epochs', String(epochs), '--json']);
  if (torch) {
    const last = torch.stdout.trim().split('\n').find((l) => l.startsWith('{'));
    if (!last) console.log(`pytorch: no JSON summary in output:\n${torch.stdout}`);
    else {
      const t = JSON.parse(last) as { s_per_epoch_median: number; test_elbo_loss_nats: number };
      console.log(`pytorch: ${t.s_per_epoch_median.toFixed(2)} s/epoch, test −ELBO ${t.test_elbo_loss_nats.toFixed(3)} (${torch.command})`);
      console.log(`ratio s/epoch vaekit/pytorch: ${(ours.sPerEpoch / t.s_per_epoch_median).toFixed(3)} (target <= 0.6)`);
      console.log(`test −ELBO difference vaekit − pytorch: ${(ours.testNegElbo - t.test_elbo_loss_nats).toFixed(3)} nats (target |diff| <= 0.5)`);
    }
  }
}
