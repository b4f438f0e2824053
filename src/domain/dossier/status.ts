/**
 * National dossier status codes (DESIGN §4.3) and the intake transitions between them. Later
 * processing steps (issue 6) add their own actions to the same table.
 */
export const STATUS = {
  submitted: 1,
  received: 2,
  refused: 3,
  processing: 4,
  supplement: 5,
  awaitingPayment: 6,
  withdrawalRequested: 7,
  stopped: 8,
  processed: 9,
  returned: 10,
} as const;
export type StatusCode = (typeof STATUS)[keyof typeof STATUS];

export const STATUS_NAME: Readonly<Record<StatusCode, { vi: string; en: string }>> = {
  1: { vi: 'Mới đăng ký (chờ tiếp nhận)', en: 'Submitted online, awaiting reception' },
  2: { vi: 'Đã tiếp nhận', en: 'Received' },
  3: { vi: 'Từ chối tiếp nhận', en: 'Refused' },
  4: { vi: 'Đang xử lý', en: 'Processing' },
  5: { vi: 'Chờ bổ sung hồ sơ', en: 'Supplement requested' },
  6: { vi: 'Chờ thực hiện nghĩa vụ tài chính', en: 'Awaiting payment' },
  7: { vi: 'Yêu cầu rút hồ sơ', en: 'Withdrawal requested' },
  8: { vi: 'Dừng xử lý', en: 'Stopped' },
  9: { vi: 'Đã xử lý xong', en: 'Processed' },
  10: { vi: 'Đã trả kết quả', en: 'Result returned' },
};

export type IntakeAction = 'submit' | 'receive' | 'request_supplement' | 'provide_supplement' | 'refuse' | 'pay';

/** Which statuses each action may start from. `null` is a draft. */
const FROM: Readonly<Record<IntakeAction, readonly (StatusCode | null)[]>> = {
  submit: [null],
  receive: [STATUS.submitted, STATUS.supplement],
  request_supplement: [STATUS.submitted, STATUS.supplement],
  provide_supplement: [STATUS.supplement],
  refuse: [STATUS.submitted, STATUS.supplement],
  pay: [STATUS.submitted, STATUS.awaitingPayment, STATUS.supplement, STATUS.received, STATUS.processing],
};

export function canApply(action: IntakeAction, from: number | null): boolean {
  return FROM[action].includes(from as StatusCode | null);
}

/**
 * The status after an action. Reception with a fee still unpaid waits for the payment (6); a
 * payment completes a pending obligation (6 -> 2) and otherwise leaves the status alone.
 */
export function nextStatus(action: IntakeAction, from: number | null, feeOutstanding: boolean): StatusCode {
  switch (action) {
    case 'submit':
      return STATUS.submitted;
    case 'receive':
      return feeOutstanding ? STATUS.awaitingPayment : STATUS.received;
    case 'request_supplement':
    case 'provide_supplement':
      return STATUS.supplement;
    case 'refuse':
      return STATUS.refused;
    case 'pay':
      return from === STATUS.awaitingPayment ? STATUS.received : (from as StatusCode);
  }
}

/** Statuses in which the desk still has to decide (the reception queue). */
export const AWAITING_DESK: readonly StatusCode[] = [STATUS.submitted, STATUS.supplement];
