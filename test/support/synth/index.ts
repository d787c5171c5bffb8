export { generateSchool, type SynthOptions, type SynthSchool } from './school.js';
export { renderSchool, writeSchool, SYNTH_FORMATS, type SynthFormat } from './write.js';
export { toBromcomData, type BromcomData, type BromcomTable } from './bromcom-data.js';
export { startBromcomEmulator, EMULATOR_PATH, type BromcomEmulator, type BromcomEmulatorOptions } from './bromcom-emulator.js';
