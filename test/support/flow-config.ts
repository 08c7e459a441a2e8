/** A compact campaign config for call-flow tests: one campaign with an IVR, two buyers in priority order. */
export const FLOW_CONFIG = `
version: 1
carriers:
  - id: carrier_a
    name: Carrier A
    sources: [127.0.0.1/32]
    cost_per_minute_cents: 1
prompts:
  - { id: welcome, file: welcome.wav }
  - { id: age_q, file: age_q.wav }
  - { id: zip_q, file: zip_q.wav }
  - { id: sorry, file: sorry.wav }
  - { id: no_agents, file: no_agents.wav }
ivr_flows:
  - id: medicare_screen
    start: welcome
    reject_prompt: sorry
    steps:
      welcome: { type: say, prompt: welcome, next: age }
      age:
        type: menu
        prompt: age_q
        retries: 1
        options:
          "1": { tags: { age_65_plus: "yes" }, next: zip }
          "2": { tags: { age_65_plus: "no" }, next: reject }
      zip: { type: gather, prompt: zip_q, min_digits: 5, max_digits: 5, tag: zip, next: route }
publishers:
  - id: pub_one
    name: Publisher One
    payout: { type: fixed, amount_cents: 1500 }
    min_duration_s: 30
buyers:
  - id: buyer_first
    name: First Buyer
    price_cents: 4000
    min_duration_s: 60
    targets:
      - id: first_main
        destination: { sip: "sip:intake@127.0.0.1:5071" }
  - id: buyer_second
    name: Second Buyer
    price_cents: 3500
    min_duration_s: 60
    targets:
      - id: second_main
        destination: { sip: "sip:intake@127.0.0.1:5072" }
campaigns:
  - id: medicare
    name: Medicare
    dids:
      - { number: "+18005550100", publisher: pub_one }
    ivr: medicare_screen
    no_buyer_prompt: no_agents
    routes:
      - { target: first_main, priority: 1 }
      - { target: second_main, priority: 2 }
blocklist:
  numbers: ["+14155550666"]
  anonymous: reject
`;
