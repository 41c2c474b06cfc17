// Your own model in TypeScript: a residual MLP VAE. Declare parameters on the scope where you use them;
// vaekit traces the functions once to learn names, shapes and initial values, then the same Trainer,
// evaluation, sampling and model directory work as for the built-in architectures.
//   npx tsx examples/residualMlp.ts [epochs] [outDir]
import {
  add, dense, likelihood, loadEmbeddedMnist, loadModelDir, makeVae, modelFile, nodeEngine, parseTrainConfig, parseVaeConfig,
  Prng, relu, reshape, saveModelDir, splitPosterior, Trainer, VaeModel, type Scope, type Tensor, type VaeDef,
} from '../src/node.js'; // in your project: from 'vaekit/node'

// h + W₂·relu(W₁·h): [B, width] → [B, width]
const residual = (s: Scope, h: Tensor) => add(h, dense(s.sub('fc2'), relu(dense(s.sub('fc1'), h, h.shape[1])), h.shape[1]));

/** A VAE on 28×28 grey images with `blocks` residual blocks of `width` units on each side. */
export function residualMlp(latent: number, width = 256, blocks = 2): VaeDef {
  return {
    dataShape: [1, 28, 28],
    latentDim: latent,
    classes: 0,
    encode(s, x) {
      let h = relu(dense(s.sub('enc.in'), reshape(x, [x.shape[0], 784]), width)); // [B, width]
      for (let i = 0; i < blocks; i++) h = relu(residual(s.sub(`enc.res${i}`), h));
      return splitPosterior(dense(s.sub('enc.out'), h, 2 * latent), latent); // μ, log σ²: [B, L] each
    },
    decode(s, z) {
      let h = relu(dense(s.sub('dec.in'), z, width));
      for (let i = 0; i < blocks; i++) h = relu(residual(s.sub(`dec.res${i}`), h));
      return likelihood({ type: 'bernoulli' }, dense(s.sub('dec.out'), h, 784), s.sub('lik')); // logits [B, 784]
    },
  };
}

/** Trains it on the embedded digits, saves, reloads and samples; returns the last test −ELBO. */
export async function main(epochs = 5, out = 'runs/residual-mlp'): Promise<number> {
  const engine = nodeEngine();
  const config = parseVaeConfig({ custom: 'residual-mlp', dataShape: [1, 28, 28], latentDim: 16 });
  const vae = makeVae(config, residualMlp(16)); // the config names the model; the def is its networks
  const training = parseTrainConfig({ epochs, binarize: 'dynamic' });
  const data = await loadEmbeddedMnist();
  const trainer = await Trainer.create(engine, vae, training, data);
  await trainer.run((e) => e.type === 'epoch' && console.log(`epoch ${e.epoch}: test −ELBO ${e.test!.negElbo.toFixed(2)} nats`));
  const last = trainer.history.at(-1)!;
  saveModelDir(out, { meta: modelFile(config, training, { name: 'mnist', train: data.train.n, test: data.test.n }, { ...last }), params: trainer.params() }, vae.def);
  const { params } = loadModelDir(out, { def: vae.def }); // a TypeScript model reloads with its def
  const samples = await new VaeModel(engine, vae, params).sample(16, new Prng(1)); // [16, 784] pixel means
  console.log(`saved to ${out}; ${samples.length / 784} samples drawn`);
  return last.test!.negElbo;
}

if (import.meta.url === `file://${process.argv[1]}`) await main(Number(process.argv[2] ?? 5), process.argv[3]);
