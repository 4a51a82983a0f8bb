// The parity badge's SHA-256 of a run's trace, off the page's thread: the
// page hands over the trace's UTF-8 a buffer at a time ({bytes, length}, see
// TraceDigest in parity.js), and 'hex' asks for the digest.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

let hash = sha256.create();

self.onmessage = ({ data }) => {
  if (data === 'hex') {
    self.postMessage(bytesToHex(hash.digest()));
    hash = sha256.create();
  } else {
    hash.update(new Uint8Array(data.bytes, 0, data.length));
  }
};
