import type { DeviceFingerprint } from '../types.js';

/** `Chrome 131` → `chrome`, `Windows 10` → `windows`, `Mac OS 14.5` → `mac os`: a name without its version. */
export function family(value: string): string {
  return value
    .replace(/\s+[\d.]+$/, '')
    .trim()
    .toLowerCase();
}

/** Browser, OS and device families: a monthly browser update is the same device. */
export function deviceFamily(device: DeviceFingerprint): string {
  return [family(device.browser), family(device.os), device.device.toLowerCase()].join('|');
}
