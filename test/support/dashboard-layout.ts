/**
 * Draws a CloudWatch dashboard's layout (its widgets on CloudWatch's 24-column grid, with their
 * titles and what they show) as SVG, from the DashboardBody CDK synthesizes. The README's picture,
 * docs/dashboard-layout.svg, is drawn by this from EdgeSyncMonitor.addDashboard, and a test checks
 * that the committed picture is still what the code draws.
 */
import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

const COLUMN = 40;
const ROW = 30;

interface Widget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, any>;
}

/** The dashboard's body with every token shown by name (`<AWS::StackName>`), parsed. */
export function dashboardWidgets(dashboard: cloudwatch.Dashboard): Widget[] {
  const body = Stack.of(dashboard).resolve((dashboard.node.defaultChild as cloudwatch.CfnDashboard).dashboardBody);
  return JSON.parse(flatten(body)).widgets;
}

function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as any[]).map(flatten).join(value['Fn::Join'][0]);
  if (value.Ref) return `<${value.Ref}>`;
  if (value['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  return JSON.stringify(value);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What a widget shows, in a line or two. */
function describe(widget: Widget): string[] {
  const p = widget.properties;
  if (widget.type === 'text') return [String(p.markdown).split('\n')[0].replace(/^#\s*/, '')];
  if (widget.type === 'alarm') return [`${(p.alarms ?? []).length} alarms`];
  const lines = (p.metrics ?? []).map((m: any[]) => {
    const options = m[m.length - 1];
    if (options && options.expression) return String(options.label ?? options.expression).slice(0, 40);
    return m.filter((part) => typeof part === 'string').slice(0, 2).join(' ');
  });
  return lines.slice(0, 4);
}

export function renderLayoutSvg(widgets: readonly Widget[]): string {
  const width = 24 * COLUMN;
  const height = Math.max(...widgets.map((w) => w.y + w.height)) * ROW;
  const parts = widgets.map((w) => {
    const x = w.x * COLUMN;
    const y = w.y * ROW;
    const title = escapeXml(String(w.properties.title ?? (w.type === 'text' ? 'Text' : w.type)));
    const lines = describe(w).map((line, i) => `<text x="${x + 10}" y="${y + 44 + i * 18}" font-size="12" fill="#555">${escapeXml(line)}</text>`);
    return [
      `<rect x="${x + 4}" y="${y + 4}" width="${w.width * COLUMN - 8}" height="${w.height * ROW - 8}" rx="4" fill="#fff" stroke="#aab"/>`,
      `<text x="${x + 10}" y="${y + 24}" font-size="14" font-weight="bold" fill="#223">${title}</text>`,
      `<text x="${x + w.width * COLUMN - 14}" y="${y + 24}" font-size="11" fill="#889" text-anchor="end">${w.type}</text>`,
      ...lines,
    ].join('\n');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#f2f3f5"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
