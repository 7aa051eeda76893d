import type { TrailUpdate, UserTrail } from '../ports/session-store.js';

/** A trail with one more sighting: the device family refreshed (bounded, newest first), the place replaced. */
export function extendTrail(previous: UserTrail | null, update: TrailUpdate, now: number): UserTrail {
  const devices = [...(previous?.devices ?? [])];
  if (update.device !== null) {
    const known = devices.findIndex((device) => device.family === update.device);
    if (known !== -1) devices.splice(known, 1);
    devices.unshift({ family: update.device, seenAt: now });
    devices.length = Math.min(devices.length, update.maxDevices);
  }
  return { location: update.location ?? previous?.location ?? null, devices };
}
