// The tray icon: its picture says the state, its tooltip the latest breadth, its menu toggles
// auto-processing. A status arrives every cycle; only what changed is redrawn (tray-model.ts).
// Tray, Menu and nativeImage come in as parameters (typed by what the tray uses of them), so the
// redrawing is tested under Node (tray.test.ts).
import type { MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import type { AppStatus } from '../../shared/api';
import type { Snapshot } from '../../shared/domain';
import { trayChanges, trayView, type TrayState, type TrayView } from '../core/tray-model';

export interface TrayActions {
  toggleAuto(on: boolean): void;
  processNow(): void;
  openDashboard(): void;
  openDataFolder(): void;
  quit(): void;
}

/** What AppTray uses of an Electron Tray; Image and ContextMenu are NativeImage and Menu in the app. */
export interface NativeTray<Image, ContextMenu> {
  on(event: 'click', listener: () => void): unknown;
  setImage(image: Image): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: ContextMenu): void;
  destroy(): void;
}

/** Electron's Tray class, Menu and nativeImage, as far as AppTray uses them. */
export interface TrayHost<Image, ContextMenu> {
  // Image and ContextMenu are what nativeImage and Menu make (Tray's constructor takes a path too).
  Tray: new (image: NoInfer<Image>) => NativeTray<NoInfer<Image>, NoInfer<ContextMenu>>;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): ContextMenu };
  nativeImage: { createFromPath(path: string): Image };
}

export class AppTray<Image, ContextMenu> {
  private readonly tray: NativeTray<Image, ContextMenu>;
  private readonly icons: Record<TrayState, Image>;
  /** What the tray shows now; null redraws everything at the next update. */
  private shown: TrayView | null = null;

  constructor(
    resourcesDir: string,
    private readonly actions: TrayActions,
    private readonly host: TrayHost<Image, ContextMenu>,
  ) {
    const icon = (name: string) => host.nativeImage.createFromPath(path.join(resourcesDir, 'tray', `${name}.png`));
    this.icons = { running: icon('running'), stopped: icon('stopped'), closed: icon('closed'), error: icon('error') };
    this.tray = new host.Tray(this.icons.stopped);
    this.tray.on('click', () => actions.openDashboard());
  }

  update(status: AppStatus, snapshot: Snapshot | null): void {
    const view = trayView(status, snapshot);
    const changed = trayChanges(this.shown, view);
    this.shown = view;
    if (changed.image) this.tray.setImage(this.icons[view.state]);
    if (changed.tooltip) this.tray.setToolTip(view.tooltip);
    if (!changed.menu) return;
    this.tray.setContextMenu(this.host.Menu.buildFromTemplate([
      {
        label: 'Auto-processing',
        type: 'checkbox',
        checked: view.menu.autoProcessing,
        click: (item) => {
          this.shown = null; // redraw at the next status even if the toggle did not take
          this.actions.toggleAuto(item.checked);
        },
      },
      { label: 'Process now', click: () => this.actions.processNow() },
      { type: 'separator' },
      { label: 'Open dashboard', click: () => this.actions.openDashboard() },
      { label: 'Open data folder', click: () => this.actions.openDataFolder() },
      { type: 'separator' },
      { label: 'Quit', click: () => this.actions.quit() },
    ]));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
