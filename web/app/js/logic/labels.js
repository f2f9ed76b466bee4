// Chinese labels of the glossary's identifiers (core/vocabulary.py, core/hazards/rules.py).

export const INDUSTRY = {
  coal: '煤矿', non_coal_mine: '非煤矿山', hazchem: '危险化学品', fireworks: '烟花爆竹', construction: '建筑施工',
  fire: '消防', road_transport: '道路运输', industrial_trade: '工贸', special_equipment: '特种设备', other: '其他',
};
export const SCALE = { large_medium: '大中型', small_micro: '小微型' };
export const RISK = { major: '重大风险（红）', high: '较大风险（橙）', moderate: '一般风险（黄）', low: '低风险（蓝）' };
export const HIGH_RISK_FLAG = {
  metallurgy: '金属冶炼', dust_explosion: '粉尘涉爆', hazardous_process: '涉重点监管危险化工工艺', confined_space: '有限空间作业',
  labour_intensive: '劳动密集型', factory_in_factory: '厂中厂', ammonia_refrigeration: '涉氨制冷',
};
// 工贸 sectors of 《工贸企业重大事故隐患判定标准》, and 生产类 / 仓储类 (core/vocabulary.py).
export const SECTOR = {
  metallurgy: '冶金', nonferrous: '有色', building_materials: '建材', machinery: '机械', light_industry: '轻工', textile: '纺织',
  tobacco: '烟草', commerce: '商贸',
};
export const PRODUCTION_KIND = { production: '生产类', storage: '仓储类', other: '其他' };
export const ROLE = {
  admin: '安委办管理员', department_admin: '行业主管部门', inspector: '检查人员', evaluator: '评估人员', enterprise_user: '企业用户', viewer: '查看人员',
};
export const HAZARD_STATUS = { reported: '已登记', rectifying: '整改中', awaiting_recheck: '待复查', closed: '已销号' };
export const HAZARD_LEVEL = { general: '一般隐患', major: '重大隐患' };
export const ASSIGNMENT_KIND = { plan: '年度计划', random_draw: '双随机抽查' };
export const ASSIGNMENT_STATUS = { pending: '待检查', done: '已完成', cancelled: '已取消' };

/** The states of an outbox entry as the 待上传 screen shows them. */
export const OUTBOX_STATE = {
  waiting: '等待上传', sending: '正在上传', accepted: '已接收', duplicate: '已上传（重复提交）', rejected: '被退回',
  conflict: '冲突待处理', resolved: '冲突已处理',
};
export const RECORD_KIND = { submission: '检查记录', hazard_update: '隐患操作' };
export const SIGNATURE_ROLE = { inspector: '检查人员', enterprise: '企业负责人/代表' };

export const industries = (list) => (list || []).map((i) => INDUSTRY[i] || i).join('、');
export const sectors = (list) => (list || []).map((s) => SECTOR[s] || s).join('、');

/** 专职 n 人 · 兼职 m 人, or '' when neither is known. */
export const safetyStaff = (e) => {
  const known = (n) => n !== null && n !== undefined;
  if (!known(e.safety_staff_full_time) && !known(e.safety_staff_part_time)) return '';
  const count = (n) => (known(n) ? `${n} 人` : '—');
  return `专职 ${count(e.safety_staff_full_time)} · 兼职 ${count(e.safety_staff_part_time)}`;
};
