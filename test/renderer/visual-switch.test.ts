import { describe, expect, it } from 'vitest';
import { switchLoss } from '../../renderer/src/pages/templates/visual/document';
import { safeColour, textOn } from '../../renderer/src/pages/templates/visual/nodes';

describe('switching how a template is written', () => {
  it('says what HTML with its own layout loses in the visual editor, and asks nothing for plain blocks', () => {
    expect(switchLoss('html', 'visual', '<table><tr><td><h1>Hi</h1></td></tr></table>')).toMatch(/own layout, colours and tables are replaced/);
    expect(switchLoss('html', 'visual', '<h1>Hi {{ first_name }}</h1><p>News</p>')).toBeNull();
    expect(switchLoss('markdown', 'visual', '# Hi\n\n| a | b |\n|---|---|\n')).toMatch(/tables/);
  });

  it('says the visual editor keeps only text and fields in Markdown, and what HTML by hand means', () => {
    expect(switchLoss('visual', 'markdown', '<h1>x</h1>')).toMatch(/buttons, images, the footer and the brand colour are lost/);
    expect(switchLoss('visual', 'html', '<h1>x</h1>')).toMatch(/layout .* no longer added/);
    expect(switchLoss('html', 'markdown', '<p>x</p>')).toBeNull();
  });
});

describe('the brand colour', () => {
  it('only ever writes #rrggbb into the HTML, and puts readable text on it', () => {
    expect(safeColour('#0b6e99')).toBe('#0b6e99');
    expect(safeColour('red; background: url(x)')).toBe('#1d4ed8');
    expect(textOn('#0b6e99')).toBe('#ffffff');
    expect(textOn('#ffe066')).toBe('#111827');
  });
});
