// The parity badge's SHA-256 of a run's trace, off the page's thread: the
// page hands over the trace's UTF-8 a buffer at a time ({run, bytes,
// length}, see TraceDigest in parity.js); {run, op: 'hex'} asks for the
// digest of that run, {run, op: 'discard'} drops it. One worker serves every
// run of the page (starting a worker costs the page's thread tens of ms).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const hashes = new Map();  // run -> incremental SHA-256

self.onmessage = ({ data }) => {
  const { run } = data;
  if (data.bytes) {
    let hash = hashes.get(run);
    if (!hash) hashes.set(run, (hash = sha256.create()));
    hash.update(new Uint8Array(data.bytes, 0, data.length));
  } else if (data.op === 'hex') {
    const hash = hashes.get(run) ?? sha256.create();
    hashes.delete(run);
    self.postMessage({ run, hex: bytesToHex(hash.digest()) });
  } else if (data.op === 'discard') {
    hashes.delete(run);
  }
};
