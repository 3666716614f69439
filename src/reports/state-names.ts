// The Chinese names of a report's states and of a finding's review statuses: the pages' words and the problems'.
export const STATE_NAMES: Record<string, string> = { draft: '草稿', submitted: '已报送', returned: '已退回', accepted: '已采纳' }

export const STATUS_NAMES: Record<string, string> = { open: '待审核', confirmed: '已确认', dismissed: '已排除', explained: '已说明' }
