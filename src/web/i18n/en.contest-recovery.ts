import type { viContestRecovery } from './vi.contest-recovery.js';

export const enContestRecovery: Record<keyof typeof viContestRecovery, string> = {
  'err.contest_recovery_unavailable':
    'Text messages cannot be sent at the moment, so you cannot continue on another device. Please take part on the device you registered with.',
  'err.contest_recovery_not_registered': 'This phone number has not registered for this contest. Please check the number, or register.',
  'err.contest_recovery_wait': 'A code has just been sent. Please wait {seconds} seconds before asking for a new one.',
  'err.contest_recovery_budget_spent':
    'Today the portal has sent all the codes it can send by SMS. Please continue on the device you registered with, or try again tomorrow.',
  'err.contest_recovery_too_many': 'Many codes have been sent to this phone number in the last 24 hours. Please try again later.',
  'err.contest_recovery_code_format': 'Please enter the 6-digit code from the text message.',
  'err.contest_recovery_code_invalid': 'The code is not right. You have {left} more tries with this code.',
  'err.contest_recovery_code_expired': 'This code has expired or has been used. Please press “Send a new code” to get another one.',
  'err.contest_recovery_tries_used': 'The code was entered wrongly 5 times. Please press “Send a new code” to get another one.',
  'contestRecovery.link': 'Registered on another phone or computer? Continue on this device',
  'contestRecovery.title': 'Continue the contest on this device',
  'contestRecovery.lead':
    'If you registered on another phone or computer, enter the phone number you registered with. We will send a 6-digit code to that number by text message.',
  'contestRecovery.send': 'Send me a code',
  'contestRecovery.sent': 'We have sent a code to {phone}. It works for {minutes} minutes.',
  'contestRecovery.code': 'Confirmation code',
  'contestRecovery.codeHint': '6 digits, in the text message just sent to your phone.',
  'contestRecovery.confirm': 'Confirm',
  'contestRecovery.resendLead': 'No message after 1 minute? You can ask for a new code.',
  'contestRecovery.resend': 'Send a new code',
  'contestRecovery.otherNumber': 'Use another phone number',
  'contestRecovery.keep': 'The device you registered with can still take part as before.',
};
