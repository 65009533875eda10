import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);

// src/train/fused/kernels-wasm.ts
var KERNELS_WASM_BASE64 = "AGFzbQEAAAABiAEOYAF9AX1gCH9/f39/f39/AGAHf39/f39/fwBgBH9/f38AYAd/f39/f31/AXxgCX9/f39/f399fwF8YAV/f39/fQBgCH9/f39/fX19AGADf39/AGAGf39/f39/AGAGf39/fX9/AGAIf39/f39/fX8BfGAMf39/f39/fX19fX19AGAFf39/f38AAhIBA2VudgZtZW1vcnkCAwGAgAQDFhUAAAAAAgMEBQYBAQcIAgkBCgsMDQMGGgV/AEEAC38AQQELfwBBAgt/AEEDC38AQQQLB4MCFgZtYXRtdWwADQ53ZWlnaHRHcmFkaWVudAAECXRyYW5zcG9zZQAFD2dhdGhlckVtYmVkZGluZwAPDWdhdGhlck51bWVyaWMADhBzY2F0dGVyRW1iZWRkaW5nAAkGTElORUFSAwAEUkVMVQMBA0VMVQMCBFRBTkgDAwRHRUxVAwQIYWN0aXZhdGUAFBJhY3RpdmF0aW9uR3JhZGllbnQAEwdkcm9wb3V0ABAIbXVsdGlwbHkADApiaW5hcnlIZWFkABELc29mdG1heEhlYWQABxBzcXVhcmVkRXJyb3JIZWFkAAYEYWRhbQASA3NnZAAIB3Jtc3Byb3AACwZtZW1vcnkCAAwBAgrSKRXeAQMCfAF+An8gALshAQJ9IAC8IgRBFHZB/w9xIgVBqwhPBEBDAAAAACAEQYCAgHxGDQEaIAAgAJIgBUH4D08NARogAEMAAAB/lCAAQxdysUJeDQEaQwAAAAAgAEO08c/CXQ0BGgsgAUT+gitlRxVHQKIiAUQAAAAAAAA4Q6AiAr0hAyABIAJEAAAAAAAAOMOgoSIBRNZSDP9CLpY/okQAAAAAAADwP6AgAUSUI5FL+Gq8PqJE88T6UM6/Lj+gIAEgAaKioCADp0EfcUEDdEGACGopAwAgA0Ivhny/orYLC+oBAgN/AnwCfSAAvCIBQYCAgARrQYCAgPgHTwRAQwAAgP8gAUEBdCICRQ0BGiAAIAFBgICA/AdGDQEaIAFBH3YgAkGAgIB4T3IEQCAAIACTIgAgAJUMAgsgAEMAAABLlLxBgICA3ABrIQELIAFBgIDM+QNrIgJBE3ZBD3FBBHRBgApqIQMgASACQYCAgHxxa767IAMrAwCiRAAAAAAAAPC/oCIEIASiIQUgBERqC+ALW1fVP6JEI0EK8v7/37+gIAVENIO4SKMO0L+ioCAFoiADKwMIIAJBF3W3RO85+v5CLuY/oqAgBKCgtgsL5QMCA38EfSAAvCIDQf////8HcSECIANBH3YhAyACQcTw1owETwRAIAJBgICA/AdLBEAgAA8LIAMEQEMAAIC/DwsgAkGX5MWVBEsEQCAAQwAAAH+UDwsLIAJBmOTF9QNLBEAgAEEBIANBAXRrIABDO6q4P5RDAAAAPyAAmJL8ACACQZKrlPwDSRsiAbIiAEOAcTE/lJMiBCAEIABD0fcXN5QiBJMiAJMgBJMhBAUgAkGAgICYA0kEQCAADwsLQwAAQEAgACAAQwAAAD+UIgaUIgUgBUMQMM86lENoiAi9kpRDAACAP5IiByAGlJMhBiAFIAcgBpNDAADAQCAAIAaUk5WUIQYgAUUEQCAAIAAgBpQgBZOTDwsgACAGIASTlCAEkyAFkyEEIAFBf0YEQCAAIASTQwAAAD+UQwAAAL+SDwsgAUEBRgRAIABDAACAvl0EQCAEIABDAAAAP5KTQwAAAMCUDwsgACAEk0MAAABAlEMAAIA/kg8LIAFB/wBqQRd0viEFIAFBAEggAUE4SnIEQCAAIASTQwAAgD+SIgAgAJJDAAAAf5QgACAFlCABQYABRhtDAACAv5IPCyAAQwAAgD9B/wAgAWtBF3S+IgCTIASTQwAAgD8gBCAAkpMgAUEUSBuSIAWUC2oBAX1DAACAv0MAAIA/IABDAAAAAF0bQwAAgD9DAACAPyAAiyIBQwW6pz6UQwAAgD+SlSIAIAAgACAAIABDItyHP5RD4wC6v5KUQ+PwtT+SlEOOqZG+kpRDBnmCPpKUIAGMIAGUEACUk5QLqwYCCn8LeyADQQJ0IQ4gBEECdCEIA0AgAyALSgRAIAUgCCALbGohD0EAIQkDQCAJQQhqIARMBEAgCUECdCIKIA9qIhD9AAQAIREgEP0ABBAhEiAIIBBqIgf9AAQAIRMgB/0ABBAhFCAQIAhBAXRqIgf9AAQAIRUgB/0ABBAhFiAQIAhBA2xqIgf9AAQAIRcgB/0ABBAhGCAAIAtBAnRqIQcgASAKaiEKQQAhDANAIAIgDEoEQCARIAcqAgD9EyIaIAr9AAQAIhn95gH95AEhESASIBogCv0ABBAiGv3mAf3kASESIBMgByoCBP0TIhsgGf3mAf3kASETIBQgGyAa/eYB/eQBIRQgFSAHKgII/RMiGyAZ/eYB/eQBIRUgFiAbIBr95gH95AEhFiAXIAcqAgz9EyIbIBn95gH95AEhFyAYIBsgGv3mAf3kASEYIAcgDmohByAIIApqIQogDEEBaiEMDAELCyAQIBH9CwQAIBAgEv0LBBAgCCAQaiIHIBP9CwQAIAcgFP0LBBAgECAIQQF0aiIHIBX9CwQAIAcgFv0LBBAgECAIQQNsaiIHIBf9CwQAIAcgGP0LBBAgCUEIaiEJDAELCyAEIAlKBEAgCUECdCIHIA9qIgz9AAQAIRQgCCAMav0ABAAhESAMIAhBAXRq/QAEACESIAwgCEEDbGr9AAQAIRMgACALQQJ0aiEJIAEgB2ohB0EAIQoDQCACIApKBEAgFCAJKgIA/RMgB/0ABAAiFf3mAf3kASEUIBEgCSoCBP0TIBX95gH95AEhESASIAkqAgj9EyAV/eYB/eQBIRIgEyAJKgIM/RMgFf3mAf3kASETIAkgDmohCSAHIAhqIQcgCkEBaiEKDAELCyAMIBT9CwQAIAggDGogEf0LBAAgDCAIQQF0aiAS/QsEACAMIAhBA2xqIBP9CwQACyALQQRqIQsMAQsLA0AgBCANSgRAIA1BAnQiACAGav0ABAAhESAAIAFqIQNBACEFA0AgAiAFSgRAIBEgA/0ABAD95AEhESADIAhqIQMgBUEBaiEFDAELCyAAIAZqIBH9CwQAIA1BBGohDQwBCwsLUgECfwNAIAEgBUoEQEEAIQQDQCACIARKBEAgAyABIARsIAVqQQJ0aiAAIAIgBWwgBGpBAnRqKgIAOAIAIARBAWohBAwBCwsgBUEBaiEFDAELCwtvAwJ/AX0BfCABQQJ0IQEDQCADIAdKBEAgASAHbCIIIABqKgIAIAQgAiAHQQJ0aigCAEECdGoqAgCTIQkgBiAIaiIIQQAgAfwLACAKIAkgCZS7oCEKIAggCSAJkiAFlDgCACAHQQFqIQcMAQsLIAoLzgIDAXwGfwN9IAFBAnQhDEEAIQEDQCABIARIBEAgASAMbCIKIAhqIg1BACAM/AsAIAUgAyABQQJ0aigCAEECdGoqAgD8ACELIAAgCmoiDioCACEQQQEhCgNAIAIgCkoEQCAOIApBAnRqKgIAIBCXIRAgCkEBaiEKDAELC0MAAAAAIRFBACEKA0AgAiAKSgRAIApBAnQiDyAOaioCACAQkxAAIRIgDSAPaiASOAIAIBEgEpIhESAKQQFqIQoMAQsLIAYEfSAGIAtBAnRqKgIABUMAAIA/CyEQQQAhCgNAIAIgCkoEQCANIApBAnRqIg4qAgAgEZUhEiAKIAtGBEAgCSAQjCASQ5W/1jOXQ/7/fz+WEAGUu6AhCQsgDiAQIBJDAACAP0MAAAAAIAogC0Ybk5QgB5Q4AgAgCkEBaiEKDAELCyABQQFqIQEMAQsLIAkLjgECA38CeyAEjP0TIQggA0ECdCEGA0AgBSAGSQRAIAEgBWoiA/0ABAAgAiAFaiIH/QAEAP3kASEJIAP9DAAAAAAAAAAAAAAAAAAAAAD9CwQAIAf9DAAAAAAAAAAAAAAAAAAAAAD9CwQAIAAgBWoiAyAJIAj95gEgA/0ABAD95AH9CwQAIAVBEGohBQwBCwsLfAEGfwNAIAEgCEoEQCADIAIgACAIQQJ0aigCAEECdGooAgAgBGxBAnRqIQogBSAGIAhsIAdqQQJ0aiELQQAhCQNAIAQgCUoEQCAKIAlBAnQiDGoiDSANKgIAIAsgDGoqAgCSOAIAIAlBAWohCQwBCwsgCEEBaiEIDAELCwupBQILewZ/A0AgFkEIaiAETARAIBZBAnQiFEEQaiETIAYEeyAGIBRq/QAEAAX9DAAAAAAAAAAAAAAAAAAAAAALIg4hCCAGBHsgBiATav0ABAAF/QwAAAAAAAAAAAAAAAAAAAAACyIJIQ8gCCILIRIgCSIKIQwgAyAUaiEXIAAhE0EAIRUDQCABIBVKBEAgDiATKgIA/RMiDSAX/QAEACIQ/eYB/eQBIQ4gCSANIBf9AAQQIhH95gH95AEhCSAIIAIgE2oqAgD9EyINIBD95gH95AEhCCAPIA0gEf3mAf3kASEPIAsgEyACQQF0aioCAP0TIg0gEP3mAf3kASELIAogDSAR/eYB/eQBIQogEiATIAJBA2xqKgIA/RMiDSAQ/eYB/eQBIRIgDCANIBH95gH95AEhDCAFIBdqIRcgE0EEaiETIBVBAWohFQwBCwsgByAUaiIUIA79CwQAIBQgCf0LBBAgBSAUaiITIAj9CwQAIBMgD/0LBBAgFCAFQQF0aiITIAv9CwQAIBMgCv0LBBAgFCAFQQNsaiITIBL9CwQAIBMgDP0LBBAgFkEIaiEWDAELCyAEIBZKBEAgFkECdCEEIAYEeyAEIAZq/QAEAAX9DAAAAAAAAAAAAAAAAAAAAAALIgghEiAIIgwhCSADIARqIQMDQCABIBhKBEAgCCAAKgIA/RMgA/0ABAAiCv3mAf3kASEIIBIgACACaioCAP0TIAr95gH95AEhEiAMIAAgAkEBdGoqAgD9EyAK/eYB/eQBIQwgCSAAIAJBA2xqKgIA/RMgCv3mAf3kASEJIAMgBWohAyAAQQRqIQAgGEEBaiEYDAELCyAEIAdqIgAgCP0LBAAgACAFaiAS/QsEACAAIAVBAXRqIAz9CwQAIAAgBUEDbGogCf0LBAALC9sBAgN/BnsgBv0TIQ1DAACAPyAGk/0TIQ4gBf0TIQ8gB/0TIRAgBEECdCEJA0AgCCAJSQRAIAIgCGoiBP0ABAAgAyAIaiIK/QAEAP3kASELIAT9DAAAAAAAAAAAAAAAAAAAAAD9CwQAIAr9DAAAAAAAAAAAAAAAAAAAAAD9CwQAIAEgCGoiBP0ABAAgDf3mASALIAv95gEgDv3mAf3kASEMIAQgDP0LBAAgACAIaiIEIAT9AAQAIAsgD/3mASAMIBD95AH94wH95wH95QH9CwQAIAhBEGohCAwBCwsLPAAgACACQQJ0aiECA0AgACACSQRAIAAgAP0ABAAgAf0ABAD95gH9CwQAIABBEGohACABQRBqIQEMAQsLC4ACAgl/AXsgAkECdCELIARBAnQhDgNAIAdBBGoiCCABTARAIAAgByALbGogAiALIAMgBCAOIAUgBiAHIA5sahAKIAghBwwBCwsDQCABIAdKBEAgACAHIAtsaiEIIAYgByAObGohD0EAIQ0DQCAEIA1KBEAgDUECdCEKIAUEeyAFIApq/QAEAAX9DAAAAAAAAAAAAAAAAAAAAAALIRAgAyAKaiEJQQAhDANAIAIgDEoEQCAQIAggDEECdGoqAgD9EyAJ/QAEAP3mAf3kASEQIAkgDmohCSAMQQFqIQwMAQsLIAogD2ogEP0LBAAgDUEEaiENDAELCyAHQQFqIQcMAQsLCz0BAX8DQCABIAZKBEAgAyAEIAZsIAVqQQJ0aiACIAAgBkECdGooAgBBAnRqKgIAOAIAIAZBAWohBgwBCwsLTQEBfyAEQQJ0IQQDQCABIAhKBEAgBSAGIAhsIAdqQQJ0aiADIAIgACAIQQJ0aigCAEECdGooAgAgBGxqIAT8CgAAIAhBAWohCAwBCwsLlQECA38CfUMAAIA/QwAAgD8gA5OVIQkDQCACIAZKBEAgBkECdCIHIAFqQwAAAAAgCSAEIAUgBmpBufPd8XlscyIIQRB2IAhzQeuUr694bCIIQQ12IAhzQbXcypV8bCIIQRB2IAhzQQh2s0MAAIAzlCADXRsiCjgCACAAIAdqIgcgByoCACAKlDgCACAGQQFqIQYMAQsLC9wBAwR9An8BfCABQQJ0IQxBACEBA0AgASADSARAIAQgAiABQQJ0aigCAEECdGoqAgAhCEMAAIA/IAEgDGwiDSAAaioCAIwQAEMAAIA/kpUhCSAHIA1qQQAgDPwLACAI/AAhDSAOIAUEfSAFIA1BAnRqKgIABUMAAIA/CyILjCAIIAlDlb/WM5dD/v9/P5YiChABlEMAAIA/IAiTQwAAgD8gCpMQAZSSlLugIQ4gByABIAxsaiAJIApbBH0gCyAJIAiTlCAGlAVDAAAAAAs4AgAgAUEBaiEBDAELCyAOC6gCAgN/CnsgB/0TIRAgCP0TIRFDAACAPyAHk/0TIRJDAACAPyAIk/0TIRMgCv0TIRQgC/0TIRUgCf0TIRYgBoz9EyEXIAVBAnQhBQNAIAUgDEsEQCADIAxqIg39AAQAIAQgDGoiDv0ABAD95AEhGCAN/QwAAAAAAAAAAAAAAAAAAAAA/QsEACAO/QwAAAAAAAAAAAAAAAAAAAAA/QsEACABIAxqIg39AAQAIBD95gEgGCAS/eYB/eQBIQ8gAiAMaiIO/QAEACAR/eYBIBggGP3mASAT/eYB/eQBIRggDSAP/QsEACAOIBj9CwQAIAAgDGoiDSAPIBT95wEgGCAV/ecB/eMBIBb95AH95wEgF/3mASAN/QAEAP3kAf0LBAAgDEEQaiEMDAELCwuKAgECfSAARQRADwsgAyAEQQJ0aiEEIABBAUYEQANAIAMgBEkEQCADIAP9AAQAIAL9AAQA/QwAAAAAAAAAAAAAAAAAAAAA/UT9Tv0LBAAgA0EQaiEDIAJBEGohAgwBCwsPCwNAIAMgBEkEQCABKgIAIQUgAioCACEGIAMgAyoCACAAQQJGBH1DAACAPyAGQwAAgD+SIAVDAAAAAF4bBSAAQQNGBH1DAACAPyAGIAaUkwUgAEEERgR9IAVD8wQ1P5QQA0MAAIA/kkMAAAA/lCAFQypCzD6UIAVDAAAAv5QgBZQQAJSSBUMAAIA/CwsLlDgCACADQQRqIQMgAUEEaiEBIAJBBGohAgwBCwsL5gICAn0BfyABIANBAnRqIQMgAEEBRgRAA0AgASADSQRAIAIgAf0ABAD9DAAAAAAAAAAAAAAAAAAAAAD96QH9CwQAIAFBEGohASACQRBqIQIMAQsLDwsDQCABIANJBEAgASgCACEGIAEqAgAhBCACIABBAkYEfSAEQwAAAABeBH0gBAUgBBAAQwAAgL+SCwUgAEEDRgR9IAZB/////wdxIga+IQUgBkHUvrL4A0sEfSAGQYCAgIkESwR9QwAAAAAgBZVDAACAP5IFQwAAgD9DAAAAQCAFIAWSEAJDAAAAQJKVkwsFIAZB+IqL9ANLBH0gBSAFkhACIgUgBUMAAABAkpUFIAZBgICABE8EfSAFQwAAAMCUEAIiBYwgBUMAAABAkpUFIAULCwsgBJgFIABBBEYEfSAEIARD8wQ1P5QQA0MAAIA/kkMAAAA/lJQFIAQLCws4AgAgAUEEaiEBIAJBBGohAgwBCwsLC48EAgBBgAgLgAIAAAAAAADwP3SFFdOw2e8/D4n5bFi17z9RWxLQAZPvP3tRfTy4cu8/qrloMYdU7z84YnVuejjvP+HeH/WdHu8/FbcxCv4G7z/LqTo3p/HuPyI0Ekym3u4/LYlhYAjO7j8nKjbV2r/uP4JPnVYrtO4/KVRI3Qer7j+FVTqwfqTuP807f2aeoO4/dF/s6HWf7j+HAetzFKHuPxPOTJmJpe4/26AqQuWs7j/lxc2wN7fuP5Dwo4KRxO4/XSU+sgPV7j+t01qZn+juP0de+/J2/+4/nFKF3ZsZ7z9pkO/cIDfvP4ek+9wYWO8/X5t7M5d87z/akKSir6TvP0BFblt20O8/AEGACguAAr7z+HnsYfY/3qqMgPd71b89iK9K7XH1P9ttwKfwvtK/sBDw8DmV9D9nOlF/rh7Qv4UDuLCVyfM/6SSCptgxy7+lZIgMGQ3zP1h3wApPV8a/oI4LeyJe8j8AgZzHK6rBvz80GkpKu/E/Xg6MznZOur+65YrwWCPxP8wcYVo8l7G/pwCZQT+V8D8eDOE49FKivwAAAAAAAPA/AAAAAAAAAACsR5r9jGDuP4RZ8l2qpao/oGoCH7Ok7D+0LjaqU168P+b8alc2IOs/CNsgd+UmxT8tqqFj0cLpP3BHIg2Gwss/7UF4A+aG6D/hfqDIiwXRP2JIU/XcZ+c/Ce62VzAE1D8=";

// src/train/fused/kernels.ts
var compiled;
function kernelModule() {
  compiled ??= new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, "base64"));
  return compiled;
}
function sharedMemory(bytes) {
  const pages = Math.ceil(bytes / 65536);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}
function instantiateKernels(module, memory) {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports;
}
function fusedUnavailableReason() {
  try {
    instantiateKernels(kernelModule(), sharedMemory(65536));
    return null;
  } catch (error) {
    return `the fused WebAssembly kernels cannot run here: ${error instanceof Error ? error.message : String(error)}`;
  }
}

// src/train/fused/control.ts
var Command = {
  /** Incremented by the main thread for each command. */
  Sequence: 0,
  Kind: 1,
  Rows: 2,
  Step: 3,
  /** The sequence number of the last command the worker finished. */
  Done: 4,
  /** Set by the worker when a command threw. */
  Failed: 5,
  Gradients: 1,
  Update: 2,
  Exit: 3
};
function controlViews(memory, layout) {
  return {
    words: new Int32Array(memory.buffer, layout.control, 16),
    floats: new Float32Array(memory.buffer, layout.control + 64, 4),
    loss: new Float64Array(memory.buffer, layout.control + 128, 1)
  };
}
function waitWhile(words, index, value, spins = 2e4) {
  for (let i = 0; i < spins; i++) if (Atomics.load(words, index) !== value) return;
  while (Atomics.load(words, index) === value) Atomics.wait(words, index, value, 100);
}

// src/train/fused/layout.ts
var SHARDS = 2;
var ACTIVATIONS = { linear: 0, relu: 1, elu: 2, tanh: 3, gelu: 4 };
var pad4 = (n) => Math.ceil(n / 4) * 4;
var Arena = class {
  constructor(end) {
    this.end = end;
  }
  end;
  take(bytes) {
    const at = this.end;
    this.end += Math.ceil(bytes / 16) * 16;
    return at;
  }
};
var RESERVED = 65536;
function planLayout(shape, training, rows, classWeights) {
  const arena = new Arena(RESERVED);
  const control = arena.take(256);
  const columns = shape.inputs.map(() => arena.take(rows * 4));
  const targets = arena.take(rows * 4);
  const order = arena.take(training.batchSize * 4);
  const weights = classWeights === null ? 0 : arena.take(classWeights.length * 4);
  const tensors = [];
  let paramBytes = 0;
  const tensor = (layer, index, dims, stride, rowsInMemory) => {
    tensors.push({ layer, index, shape: dims, stride, ptr: paramBytes });
    paramBytes += Math.ceil(rowsInMemory * stride * 4 / 16) * 16;
    return tensors.length - 1;
  };
  const inputs = [];
  let offset = 0;
  for (const i of shape.concatOrder) {
    const input = shape.inputs[i];
    if (input.kind === "embedding") {
      const table = tensor(input.layer, 0, [input.vocabulary, input.dim], input.dim, input.vocabulary);
      inputs.push({ kind: "embedding", column: columns[i], dim: input.dim, offset, table });
      offset += input.dim;
    } else {
      inputs.push({ kind: "numeric", column: columns[i], dim: 1, offset, table: -1 });
      offset += 1;
    }
  }
  const width = pad4(offset);
  const layers = [];
  let inReal = offset;
  let inPadded = width;
  for (const d of shape.dense) {
    const out = pad4(d.units);
    const kernel = tensor(d.layer, 0, [inReal, d.units], out, inPadded);
    const bias = tensor(d.layer, 1, [d.units], out, 1);
    layers.push({ in: inPadded, out, kernel, bias, activation: ACTIVATIONS[d.activation], dropout: d.dropout });
    inReal = d.units;
    inPadded = out;
  }
  const stateBlocks = training.optimizer === "adam" ? 2 : training.optimizer === "rmsprop" ? 1 : 0;
  const params = arena.take(paramBytes * (1 + SHARDS + stateBlocks));
  for (const t of tensors) t.ptr += params;
  const shardRows2 = Math.ceil(training.batchSize / SHARDS);
  const widest = Math.max(width, ...layers.map((l) => l.out));
  const shards = Array.from({ length: SHARDS }, () => ({
    x: arena.take(shardRows2 * width * 4),
    pre: layers.map((l) => arena.take(shardRows2 * l.out * 4)),
    post: layers.map((l) => arena.take(shardRows2 * l.out * 4)),
    mask: layers.map((l) => l.dropout > 0 ? arena.take(shardRows2 * l.out * 4) : 0),
    d: [arena.take(shardRows2 * widest * 4), arena.take(shardRows2 * widest * 4)],
    transposed: arena.take(widest * widest * 4)
  }));
  return {
    bytes: arena.end,
    control,
    batchSize: training.batchSize,
    columns,
    order,
    targets,
    classWeights: weights,
    inputs,
    width,
    layers,
    head: shape.head,
    classes: shape.dense.at(-1).units,
    tensors,
    params,
    paramBytes,
    shards
  };
}

// src/train/fused/step.ts
function shardRows(n, shard) {
  const size = Math.ceil(n / SHARDS);
  const first = Math.min(n, shard * size);
  return { first, count: Math.min(n, first + size) - first };
}
function dropoutSeed(seed, step) {
  return (Math.imul(seed ^ 1540483477, 16777619) ^ Math.imul(step + 1, 2654435761)) >>> 0;
}
function forward(k, l, s, order, count, dropout) {
  for (const input of l.inputs) {
    if (input.kind === "embedding") k.gatherEmbedding(order, count, input.column, l.tensors[input.table].ptr, input.dim, s.x, l.width, input.offset);
    else k.gatherNumeric(order, count, input.column, s.x, l.width, input.offset);
  }
  const last = l.layers.length - 1;
  let x = s.x;
  l.layers.forEach((layer, i) => {
    k.matmul(x, count, layer.in, l.tensors[layer.kernel].ptr, layer.out, l.tensors[layer.bias].ptr, s.pre[i]);
    if (i === last) return;
    k.activate(layer.activation, s.pre[i], s.post[i], count * layer.out);
    if (layer.dropout > 0 && dropout !== null) {
      k.dropout(s.post[i], s.mask[i], count * layer.out, layer.dropout, mixSeed(dropout.seed, i), dropout.first * layer.out);
    }
    x = s.post[i];
  });
  return s.pre[last];
}
function mixSeed(seed, layer) {
  return (seed ^ Math.imul(layer + 1, 2246822519)) >>> 0;
}
function shardGradients(k, l, shard, n, step, seed) {
  const { first, count } = shardRows(n, shard);
  if (count === 0) return 0;
  const s = l.shards[shard];
  const order = l.order + first * 4;
  const gradOffset = (1 + shard) * l.paramBytes;
  const z = forward(k, l, s, order, count, { seed: dropoutSeed(seed, step), first });
  const last = l.layers.length - 1;
  const width = l.layers[last].out;
  let d = s.d[0];
  const scale = 1 / n;
  const loss = l.head === "binary" ? k.binaryHead(z, width, order, count, l.targets, l.classWeights, scale, d) : l.head === "softmax" ? k.softmaxHead(z, width, l.classes, order, count, l.targets, l.classWeights, scale, d) : k.squaredErrorHead(z, width, order, count, l.targets, scale, d);
  const embeddings = l.inputs.some((input) => input.kind === "embedding");
  for (let i = last; i >= 0; i--) {
    const layer = l.layers[i];
    const kernel = l.tensors[layer.kernel];
    const input = i === 0 ? s.x : s.post[i - 1];
    k.weightGradient(input, d, count, layer.in, layer.out, kernel.ptr + gradOffset, l.tensors[layer.bias].ptr + gradOffset);
    if (i === 0 && !embeddings) break;
    const below = d === s.d[0] ? s.d[1] : s.d[0];
    k.transpose(kernel.ptr, layer.in, layer.out, s.transposed);
    k.matmul(d, count, layer.out, s.transposed, layer.in, 0, below);
    d = below;
    if (i > 0) {
      const prev = l.layers[i - 1];
      if (prev.dropout > 0) k.multiply(d, s.mask[i - 1], count * prev.out);
      k.activationGradient(prev.activation, s.pre[i - 1], s.post[i - 1], d, count * prev.out);
    }
  }
  for (const input of l.inputs) {
    if (input.kind === "embedding") {
      k.scatterEmbedding(order, count, input.column, l.tensors[input.table].ptr + gradOffset, input.dim, d, l.width, input.offset);
    }
  }
  return loss;
}
var BETA1 = 0.9;
var BETA2 = 0.999;
var DECAY = 0.9;
var EPSILON = 1e-7;
function updateParameters(k, l, part, parts, c) {
  const vectors = l.paramBytes / 16;
  const from = Math.floor(vectors * part / parts) * 16;
  const to = Math.floor(vectors * (part + 1) / parts) * 16;
  if (to <= from) return;
  const count = (to - from) / 4;
  const w = l.params + from;
  const g0 = w + l.paramBytes;
  const g1 = w + 2 * l.paramBytes;
  const state = w + (1 + SHARDS) * l.paramBytes;
  if (c.optimizer === "adam") k.adam(w, state, state + l.paramBytes, g0, g1, count, c.rate, BETA1, BETA2, EPSILON, c.c1, c.c2);
  else if (c.optimizer === "rmsprop") k.rmsprop(w, state, g0, g1, count, c.rate, DECAY, EPSILON);
  else k.sgd(w, g0, g1, count, c.rate);
}

export {
  kernelModule,
  sharedMemory,
  instantiateKernels,
  fusedUnavailableReason,
  ACTIVATIONS,
  Arena,
  RESERVED,
  planLayout,
  Command,
  controlViews,
  waitWhile,
  shardGradients,
  BETA1,
  BETA2,
  updateParameters
};
