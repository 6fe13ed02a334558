// The tray's wiring under Node: a fake Tray, Menu and nativeImage (the Electron binary cannot run
// here) that count what AppTray writes to the native tray.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { KeyboardEvent, MenuItem, MenuItemConstructorOptions } from 'electron';
import { appStatus, TRAY_SNAPSHOT as snap } from '../test-support/status';
import { AppTray, type NativeTray, type TrayActions, type TrayHost } from './tray';

class FakeImage {
  constructor(readonly file: string) {}
}
class FakeMenu {
  constructor(readonly template: MenuItemConstructorOptions[]) {}
}

class FakeTray extends EventEmitter implements NativeTray<FakeImage, FakeMenu> {
  static last: FakeTray | null = null;
  readonly writes = { image: 0, tooltip: 0, menu: 0 };
  image: FakeImage;
  tooltip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  constructor(image: FakeImage) {
    super();
    this.image = image;
    FakeTray.last = this;
  }
  setImage(image: FakeImage): void {
    this.writes.image++;
    this.image = image;
  }
  setToolTip(toolTip: string): void {
    this.writes.tooltip++;
    this.tooltip = toolTip;
  }
  setContextMenu(menu: FakeMenu): void {
    this.writes.menu++;
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

const host: TrayHost<FakeImage, FakeMenu> = {
  Tray: FakeTray,
  Menu: { buildFromTemplate: (template) => new FakeMenu(template) },
  nativeImage: { createFromPath: (file) => new FakeImage(file) },
};

function newTray() {
  const calls: string[] = [];
  const actions: TrayActions = {
    toggleAuto: (on) => void calls.push(`toggleAuto ${on}`),
    processNow: () => void calls.push('processNow'),
    openDashboard: () => void calls.push('openDashboard'),
    openDataFolder: () => void calls.push('openDataFolder'),
    quit: () => void calls.push('quit'),
  };
  const tray = new AppTray('/res', actions, host);
  const native = FakeTray.last!;
  /** Writes since the last look. */
  const writes = () => {
    const w = { ...native.writes };
    native.writes.image = native.writes.tooltip = native.writes.menu = 0;
    return w;
  };
  return { tray, native, calls, writes };
}

describe('tray: redraws only what changed', () => {
  it('across a sequence of statuses, the image, tooltip and menu are written only when they change', () => {
    const { tray, native, writes } = newTray();
    assert.equal(native.image.file, path.join('/res', 'tray', 'stopped.png'), 'starts stopped');

    tray.update(appStatus(), snap);
    assert.deepEqual(writes(), { image: 1, tooltip: 1, menu: 1 }, 'the first status draws everything');
    assert.equal(native.image.file, path.join('/res', 'tray', 'running.png'));
    assert.equal(native.tooltip, 'LiveBreadth — A 120 · D 80 · 1.50 (NSE open)');

    tray.update(appStatus(), { ...snap });
    assert.deepEqual(writes(), { image: 0, tooltip: 0, menu: 0 }, 'an identical status writes nothing');
    tray.update(appStatus({ feed: { lastChangeAt: '2026-11-20T04:00:06Z', ageSeconds: 0, stale: false }, intervalSeconds: 7 }), { ...snap });
    assert.deepEqual(writes(), { image: 0, tooltip: 0, menu: 0 }, 'a status that changes nothing the tray shows writes nothing');

    tray.update(appStatus(), { ...snap, advances: 121 });
    assert.deepEqual(writes(), { image: 0, tooltip: 1, menu: 0 }, 'new breadth: the tooltip only');

    tray.update(appStatus({ breaker: { state: 'open', consecutiveFailures: 5, retryAt: null } }), { ...snap, advances: 121 });
    assert.deepEqual(writes(), { image: 1, tooltip: 0, menu: 0 }, 'the breaker opens: the picture only');
    assert.equal(native.image.file, path.join('/res', 'tray', 'error.png'));

    tray.update(appStatus({ running: false }), { ...snap, advances: 121 });
    assert.deepEqual(writes(), { image: 1, tooltip: 1, menu: 1 }, 'auto-processing off: picture, tooltip and the menu\'s checkbox');
    const auto = native.menu!.template.find((item) => item.label === 'Auto-processing');
    assert.equal(auto?.checked, false);

    tray.update(appStatus({ running: false }), { ...snap, advances: 121 });
    assert.deepEqual(writes(), { image: 0, tooltip: 0, menu: 0 });
  });

  it('toggling auto-processing from the menu redraws at the next status, even when the toggle did not take', () => {
    const { tray, native, calls, writes } = newTray();
    tray.update(appStatus(), snap);
    writes();
    const auto = native.menu!.template.find((item) => item.label === 'Auto-processing')!;
    // Electron has already flipped the checkbox when it calls click; AppTray reads only `checked`.
    auto.click!({ checked: false } as MenuItem, undefined, {} as KeyboardEvent);
    assert.deepEqual(calls, ['toggleAuto false']);
    tray.update(appStatus(), snap); // the core did not stop: the menu must show it on again
    assert.deepEqual(writes(), { image: 1, tooltip: 1, menu: 1 });
  });

  it('a click on the icon opens the dashboard; the menu items reach their actions; destroy removes the icon', () => {
    const { tray, native, calls } = newTray();
    native.emit('click');
    tray.update(appStatus(), snap);
    for (const label of ['Process now', 'Open dashboard', 'Open data folder', 'Quit']) {
      native.menu!.template.find((item) => item.label === label)!.click!({} as MenuItem, undefined, {} as KeyboardEvent);
    }
    assert.deepEqual(calls, ['openDashboard', 'processNow', 'openDashboard', 'openDataFolder', 'quit']);
    tray.destroy();
    assert.equal(native.destroyed, true);
  });
});
