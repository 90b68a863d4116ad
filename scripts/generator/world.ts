import type { EventOf } from '../../lambda/contracts/events';
import { PAYMENT_METHODS, SEGMENTS, SOURCES, itemsTotal } from '../../lambda/contracts/events';
import { cents, type Random } from './random';

/**
 * The simulated shop behind the generator: a customer base, a product catalogue, recent orders and live sessions.
 * Builds valid events with realistic shapes (log-normal prices, few items per basket, mostly card payments).
 */

const FIRST = [
  'Ada',
  'Ben',
  'Chloé',
  'Dev',
  'Elif',
  'Femi',
  'Grace',
  'Hiro',
  'Ines',
  'Jon',
  'Kofi',
  'Lena',
  'Mira',
  'Noah',
  'Omar',
  'Priya',
];
const LAST = ['Ng', 'Okafor', 'Schmidt', 'García', 'Kowalski', 'Tanaka', "O'Brien", 'Haddad', 'Silva', 'Novak', 'Rossi', 'Larsen'];
const DOMAINS = ['example.com', 'mail.example.org', 'shop.example.net'];
const CANCEL_REASONS = ['customer_request', 'payment_failed', 'out_of_stock', 'fraud_suspected', 'address_invalid'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)',
  'DataFlowApp/4.2 (Android 15)',
];
const PAGES = ['/', '/sale', '/c/shoes', '/c/electronics', '/c/home', '/search?q=lamp', '/account', '/help'];
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE_URL = 'https://shop.dataflow.example';

export const CUSTOMER_POOL = 40_000;
const PRODUCT_POOL = 4_000;

type Envelope = { event_id: string; event_version: 1; occurred_at: string; source: (typeof SOURCES)[number] };
type Item = { product_id: string; quantity: number; unit_price: number };

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');
export const customerId = (n: number): string => `C${pad(n, 8)}`;
const productId = (n: number): string => `P${pad(n, 6)}`;

export class World {
  private readonly prices: number[] = [];
  private readonly recentOrders: { order_id: string; customer_id: string; amount: number; currency: string; payment_method: string }[] = [];
  private readonly sessions: { session_id: string; customer_id: string | null; pages: number }[] = [];
  private nextOrder = 1;
  private nextPayment = 1;
  private nextCustomer = CUSTOMER_POOL + 1;

  constructor(
    private readonly rng: Random,
    private readonly currencies: readonly string[],
  ) {
    for (let i = 0; i < PRODUCT_POOL; i++) this.prices.push(Math.max(0.5, cents(rng.logNormal(24, 0.55))));
  }

  public envelope(occurredAt: string): Envelope {
    return {
      event_id: this.rng.uuid(),
      event_version: 1,
      occurred_at: occurredAt,
      source: this.rng.weighted([
        ['web', 50],
        ['mobile', 35],
        ['pos', 5],
        ['backend', 10],
      ]),
    };
  }

  /** An existing customer (registered 2021–2025, deterministic per id). */
  public existingCustomer(): { id: string; registration: string } {
    const n = this.rng.int(1, CUSTOMER_POOL);
    const day = (n * 7919) % (5 * 365);
    return { id: customerId(n), registration: new Date(Date.UTC(2021, 0, 1) + day * 86_400_000).toISOString().slice(0, 10) };
  }

  /** A brand-new customer id (never in the pool). */
  public newCustomerId(): string {
    return customerId(this.nextCustomer++);
  }

  public basket(): Item[] {
    const lines = this.rng.weighted([
      [1, 55],
      [2, 25],
      [3, 12],
      [4, 6],
      [5, 2],
    ]);
    const bulk = this.rng.chance(0.01);
    const items: Item[] = [];
    for (let i = 0; i < lines; i++) {
      const p = this.rng.int(1, PRODUCT_POOL);
      const quantity = bulk
        ? this.rng.int(5, 12)
        : this.rng.weighted([
            [1, 80],
            [2, 15],
            [3, 5],
          ]);
      items.push({ product_id: productId(p), quantity, unit_price: this.prices[p - 1] });
    }
    return items;
  }

  /** A basket worth about `target` (one line, 1–4 units), for injected amount anomalies. */
  public basketWorth(target: number): Item[] {
    const quantity = this.rng.int(1, 4);
    return [{ product_id: productId(this.rng.int(1, PRODUCT_POOL)), quantity, unit_price: cents(target / quantity) }];
  }

  public orderPlaced(occurredAt: string, customer: string, items: Item[] = this.basket()): EventOf<'order_placed'> {
    const order = {
      ...this.envelope(occurredAt),
      event_type: 'order_placed' as const,
      order_id: `O${pad(this.nextOrder++, 10)}`,
      customer_id: customer,
      items,
      amount: itemsTotal(items),
      currency: this.rng.weighted(this.currencies.map((c, i) => [c, i === 0 ? 60 : 40 / Math.max(1, this.currencies.length - 1)] as const)),
      payment_method: this.rng.weighted<(typeof PAYMENT_METHODS)[number]>([
        ['card', 62],
        ['paypal', 18],
        ['wallet', 12],
        ['bank_transfer', 5],
        ['gift_card', 3],
      ]),
      status: this.rng.weighted<'placed' | 'paid'>([
        ['placed', 70],
        ['paid', 30],
      ]),
    };
    this.recentOrders.push({
      order_id: order.order_id,
      customer_id: customer,
      amount: order.amount,
      currency: order.currency,
      payment_method: order.payment_method,
    });
    if (this.recentOrders.length > 500) this.recentOrders.shift();
    return order;
  }

  /** A payment for a recent order, or undefined if none is open. */
  public paymentCaptured(occurredAt: string): EventOf<'payment_captured'> | undefined {
    const order = this.recentOrders.length ? this.rng.pick(this.recentOrders) : undefined;
    if (!order) return undefined;
    return {
      ...this.envelope(occurredAt),
      event_type: 'payment_captured',
      order_id: order.order_id,
      payment_id: `PAY${pad(this.nextPayment++, 10)}`,
      amount: order.amount,
      currency: order.currency,
      payment_method: order.payment_method as (typeof PAYMENT_METHODS)[number],
    };
  }

  public orderCancelled(occurredAt: string): EventOf<'order_cancelled'> | undefined {
    const order = this.recentOrders.length ? this.rng.pick(this.recentOrders) : undefined;
    if (!order) return undefined;
    return {
      ...this.envelope(occurredAt),
      event_type: 'order_cancelled',
      order_id: order.order_id,
      customer_id: order.customer_id,
      reason: this.rng.pick(CANCEL_REASONS),
    };
  }

  public customerRegistered(occurredAt: string): EventOf<'customer_registered'> {
    const first = this.rng.pick(FIRST);
    const last = this.rng.pick(LAST);
    const id = this.newCustomerId();
    return {
      ...this.envelope(occurredAt),
      event_type: 'customer_registered',
      customer_id: id,
      email: `${asciiLower(first)}.${asciiLower(last)}${id.slice(-5)}@${this.rng.pick(DOMAINS)}`,
      first_name: first,
      last_name: last,
      segment: this.rng.weighted<(typeof SEGMENTS)[number]>([
        ['premium', 15],
        ['standard', 55],
        ['basic', 30],
      ]),
      registration_date: occurredAt.slice(0, 10),
    };
  }

  public customerUpdated(occurredAt: string): EventOf<'customer_updated'> {
    const customer = this.existingCustomer();
    const update: EventOf<'customer_updated'> = { ...this.envelope(occurredAt), event_type: 'customer_updated', customer_id: customer.id };
    const what = this.rng.int(0, 2);
    if (what === 0) update.segment = this.rng.pick(SEGMENTS);
    else if (what === 1) update.email = `user${customer.id.slice(1)}@${this.rng.pick(DOMAINS)}`;
    else update.last_name = this.rng.pick(LAST);
    return update;
  }

  public customerLogin(occurredAt: string): EventOf<'customer_login'> {
    const customer = this.existingCustomer();
    return {
      ...this.envelope(occurredAt),
      event_type: 'customer_login',
      customer_id: customer.id,
      registration_date: customer.registration,
      last_login: occurredAt,
    };
  }

  public click(occurredAt: string): EventOf<'page_view' | 'product_view' | 'add_to_cart' | 'checkout_started'> {
    if (this.sessions.length < 200 || this.rng.chance(0.05)) {
      this.sessions.push({
        session_id: `S${this.rng.chars(ALNUM, 12)}`,
        customer_id: this.rng.chance(0.3) ? null : this.existingCustomer().id,
        pages: 0,
      });
      if (this.sessions.length > 400) this.sessions.shift();
    }
    const session = this.rng.pick(this.sessions);
    session.pages++;
    const base = {
      ...this.envelope(occurredAt),
      session_id: session.session_id,
      customer_id: session.customer_id,
      url: `${BASE_URL}${this.rng.pick(PAGES)}`,
      user_agent: this.rng.pick(AGENTS),
      ...(session.pages === 1 ? { referrer: this.rng.chance(0.5) ? 'https://www.search.example/' : null } : {}),
    };
    const kind = this.rng.weighted<'page_view' | 'product_view' | 'add_to_cart' | 'checkout_started'>([
      ['page_view', 50],
      ['product_view', 30],
      ['add_to_cart', 12],
      ['checkout_started', 8],
    ]);
    const product = productId(this.rng.int(1, PRODUCT_POOL));
    switch (kind) {
      case 'page_view':
        return { ...base, event_type: 'page_view' };
      case 'product_view':
        return { ...base, event_type: 'product_view', url: `${BASE_URL}/p/${product}`, product_id: product };
      case 'add_to_cart':
        return { ...base, event_type: 'add_to_cart', product_id: product, quantity: this.rng.int(1, 3) };
      case 'checkout_started': {
        const items = this.basket();
        return {
          ...base,
          event_type: 'checkout_started',
          url: `${BASE_URL}/checkout`,
          cart_value: itemsTotal(items),
          item_count: items.reduce((n, i) => n + i.quantity, 0),
        };
      }
    }
  }
}

function asciiLower(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}
