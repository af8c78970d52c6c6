/** The typed list of documents a query met: kept in order, grown past its capacity, emptied. */
import { describe, expect, test } from "vitest";
import { DocList } from "../../src/search/doc-list.js";

describe("DocList", () => {
  test("keeps what is pushed, in order, past its first capacity", () => {
    const list = new DocList(16);
    const pushed = Array.from({ length: 100 }, (_, i) => (i * 37) % 101);
    for (const doc of pushed) list.push(doc);
    expect(list.length).toBe(100);
    expect([...list.view()]).toEqual(pushed);
  });

  test("emptied, it is filled again from its start", () => {
    const list = new DocList(4);
    for (const doc of [5, 6, 7]) list.push(doc);
    list.clear();
    expect(list.view()).toHaveLength(0);
    list.push(9);
    expect([...list.view()]).toEqual([9]);
  });
});
