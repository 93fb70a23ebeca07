import { expect, it } from 'vitest';
import { parseHfConfig } from '../../../../core/import/hf-config';
import { countParameters } from '../../../../core/models/count';
import { describeWithShared, readSharedJson } from '../../../helpers/shared';

// Gemma 3 4B/12B/27B are Gemma3ForConditionalGeneration: transformers (and measure_gpu.py's
// AutoModelForCausalLM.from_config) load the SigLIP vision tower and projector with the text
// model. Parameter counts as the Hugging Face model pages list them.
describeWithShared('multimodal config.json: the vision tower is counted', () => {
  it.each([
    ['google__gemma-3-4b-it.json', 4_300_079_472],
    ['google__gemma-3-12b-pt__mlx-4bit.json', 12_187_325_040],
    ['google__gemma-3-27b-it.json', 27_432_406_640],
  ])('%s: %d parameters', (file, published) => {
    const { architecture, warnings } = parseHfConfig(
      readSharedJson(`data/hf-configs/${file}`),
      file,
    );
    // vision_config of each file: SigLIP hidden 1152, FFN 4304, 27 layers, patch 14, image 896.
    expect(architecture.vision).toEqual({
      hiddenSize: 1152,
      intermediateSize: 4304,
      layers: 27,
      patchSize: 14,
      imageSize: 896,
      channels: 3,
      projectorOutputSize: architecture.hiddenSize,
    });
    expect(countParameters(architecture).params).toBe(published);
    expect(warnings.join(' ')).not.toContain('not the vision tower');
  });
});
