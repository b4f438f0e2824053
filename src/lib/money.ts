/** An amount in messages and documents: "15.000 đồng" in Vietnamese, "VND 15,000" in English. */
export function formatVnd(amount: number, locale: 'vi' | 'en'): string {
  return locale === 'en' ? `VND ${new Intl.NumberFormat('en-GB').format(amount)}` : `${new Intl.NumberFormat('vi-VN').format(amount)} đồng`;
}
