/** Types and loaders for the dashboard's billing reads (reasons over a range, conversions and disputes per call). */
import { useEffect, useState } from 'preact/hooks';
import { getJson, qs } from './api.js';

export interface Reasons {
  calls: number;
  ended: number;
  billable?: number;
  notBillable?: Record<string, number>;
  paid?: number;
  notPaid?: Record<string, number>;
  duplicates: number;
}

export interface BillingState {
  conversions: { eventId: string; revenueCents: number | null; reportedAt: string }[];
  dispute: { state: string; reason: string | null; openedAt: string; decidedAt: string | null } | null;
}

/** Conversions and disputes for the calls on screen (one request per page of calls). */
export function useBillingState(ids: string[], version = 0): Record<string, BillingState> {
  const [state, setState] = useState<Record<string, BillingState>>({});
  const key = ids.slice(0, 100).join(',');
  useEffect(() => {
    if (!key) return;
    getJson<{ calls: Record<string, BillingState> }>(`/dashboard/api/billing-state${qs({ ids: key })}`)
      .then((r) => setState(r.calls))
      .catch(() => setState({}));
  }, [key, version]);
  return state;
}
