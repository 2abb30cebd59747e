import { AppConfig, SLOT_NAMES } from '../core/config/types';
import { redact } from '../core/redact';
import { slotLabel } from '../core/status/snapshot';
import { NodeHost, nodeHost } from './nodeHosts';
import { pick } from './sinks';
import { StatusModel } from './statusModel';

/** From the palette, with no tree row: BLUE, GREEN (each with its role now) or the load balancer. */
export async function pickHostRow(model: StatusModel, app: AppConfig, title: string): Promise<NodeHost | undefined> {
  const slots = model.snapshot?.apps.find((a) => a.name === app.name)?.slots;
  const items = [
    ...SLOT_NAMES.map((name) => ({ label: redact(slotLabel(name)), description: redact(slots?.[name]?.role ?? ''), row: { kind: 'slot', slot: { name, role: slots?.[name]?.role } } as object })),
    { label: redact('Load balancer'), description: redact(app.loadBalancer.ssh), row: { kind: 'lb', lb: { host: app.loadBalancer.ssh } } as object },
  ];
  const chosen = await pick(items, { title: redact(`Blue-Green: ${title} of ${app.name}`) });
  return chosen && nodeHost(app, chosen.row);
}
