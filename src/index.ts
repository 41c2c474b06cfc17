// Isomorphic entry point (`vaekit`): graph, autodiff, models, training, evaluation, data parsing and
// pictures. Nothing here imports node:*; files and onnxruntime-node are behind `vaekit/node`.
export * from './errors.js';
export * from './random/prng.js';
// graph and engine
export * from './graph/dtype.js';
export * from './graph/tensor.js';
export * from './graph/ops/index.js';
export * from './graph/serialize.js';
export * from './graph/symbolicBatch.js';
export * from './autodiff/grad.js';
export * from './runtime/engine.js';
// optimization
export * from './optim/optimizer.js';
export * from './optim/adam.js';
export * from './optim/sgd.js';
export * from './optim/trainStep.js';
export * from './optim/stepRunner.js';
// models
export * from './nn/dense.js';
export * from './nn/mlp.js';
export * from './nn/activation.js';
export * from './prob/logDensity.js';
export * from './prob/likelihood.js';
export * from './prob/normalQuantile.js';
export * from './models/vaeConfig.js';
export * from './models/vae.js';
export * from './models/vaeModel.js';
// training
export * from './train/trainConfig.js';
export * from './train/trainer.js';
export * from './train/trainerState.js';
export * from './train/metrics.js';
export * from './train/checkpointCodec.js';
export * from './train/heldOut.js';
// data and files
export * from './data/idx.js';
export * from './data/dataset.js';
export * from './data/rowDataset.js';
export * from './data/binarize.js';
export * from './data/mnist.js';
export * from './io/safetensors.js';
export * from './io/modelFiles.js';
export * from './io/inferenceGraphs.js';
export * from './io/exportOnnx.js';
// evaluation and pictures
export * from './eval/elboMeans.js';
export * from './eval/auc.js';
export * from './eval/evaluate.js';
export * from './eval/importanceSampling.js';
export * from './eval/activeUnits.js';
export * from './eval/quantile.js';
export * from './eval/pca.js';
export * from './viz/imageGrid.js';
export * from './viz/svgPlot.js';
export * from './viz/png.js';
export * from './viz/latentPaths.js';
